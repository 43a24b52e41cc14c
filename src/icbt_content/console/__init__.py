"""The therapist console: a small ASGI app that reads and writes the service's FHIR server.

It keeps no clinical data of its own: a therapist signs in with SMART App Launch (a confidential
client), and every page is read from the FHIR server when it is shown. Sessions hold tokens
only, in memory. Importing this package does not import the web stack: :mod:`.app` does.
"""
