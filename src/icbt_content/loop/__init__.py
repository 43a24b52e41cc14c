"""The guidance loop: what a connected site and the therapist console exchange over FHIR."""
