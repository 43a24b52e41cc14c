// Medplum's in-memory repository, made to behave like a server with a database:
// resources are validated, server-owned metadata is the server's, every write is appended to a
// journal file (so a server killed with SIGKILL comes back with its data), and a transaction
// Bundle is all or nothing.

import { OperationOutcomeError, badRequest, validateResource } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import fs from 'node:fs';

export class JournaledRepository extends MemoryRepository {
  #journal;
  #replaying = false;
  #pending = null;

  /** Open (or create) the journal at `journalPath` and replay it. */
  constructor(journalPath) {
    super();
    this.#journal = journalPath;
    this.#replay();
  }

  #replay() {
    if (!this.#journal || !fs.existsSync(this.#journal)) {
      return;
    }
    const text = fs.readFileSync(this.#journal, 'utf8');
    // A kill in the middle of an append leaves a partial last line: drop it, and cut the file
    // back to the last whole entry so the next append starts on a fresh line.
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length !== text.length) {
      fs.truncateSync(this.#journal, Buffer.byteLength(complete));
    }
    this.#replaying = true;
    try {
      for (const line of complete.split('\n')) {
        if (!line) {
          continue;
        }
        const entry = JSON.parse(line);
        for (const change of entry.transaction ?? [entry]) {
          this.#apply(change);
        }
      }
    } finally {
      this.#replaying = false;
    }
  }

  #apply(change) {
    // MemoryRepository keeps an incoming meta.versionId and meta.lastUpdated, which restores
    // each version exactly as it was first written. Its methods finish without waiting.
    if (change.put) {
      void super.createResource(change.put);
    } else if (change.delete) {
      void super.deleteResource(change.delete.resourceType, change.delete.id).catch(() => {});
    }
  }

  #record(entry) {
    if (this.#pending) {
      this.#pending.push(entry);
    } else if (this.#journal) {
      fs.appendFileSync(this.#journal, `${JSON.stringify(entry)}\n`);
    }
  }

  async createResource(resource, options) {
    let incoming = resource;
    if (!this.#replaying) {
      // The version and the time of a write belong to the server, never to the client.
      incoming = structuredClone(resource);
      if (incoming.meta) {
        delete incoming.meta.versionId;
        delete incoming.meta.lastUpdated;
        if (Object.keys(incoming.meta).length === 0) {
          delete incoming.meta;
        }
      }
      validateResource(incoming);
    }
    const stored = await super.createResource(incoming, options);
    this.#record({ put: stored });
    return stored;
  }

  async deleteResource(resourceType, id, options) {
    await super.deleteResource(resourceType, id, options);
    this.#record({ delete: { resourceType, id } });
  }

  /** Run `callback` as one transaction: on any error, the store is as it was before. */
  async withTransaction(callback) {
    if (this.#pending) {
      // A step of an outer transaction (a conditional create inside a transaction Bundle)
      // joins it: an error here rolls the whole outer transaction back.
      return callback(this);
    }
    // MemoryRepository keeps its data in two private maps and does not roll back; copying them
    // is cheap at test sizes and makes a failed transaction leave no trace.
    const resources = structuredClone(this.resources);
    const history = structuredClone(this.history);
    this.#pending = [];
    try {
      const result = await callback(this);
      const committed = this.#pending;
      this.#pending = null;
      if (this.#journal && committed.length) {
        // One line for the whole transaction: a kill mid-append loses all of it or none.
        fs.appendFileSync(this.#journal, `${JSON.stringify({ transaction: committed })}\n`);
      }
      return result;
    } catch (error) {
      this.#pending = null;
      this.resources.clear();
      this.history.clear();
      for (const [type, byId] of resources) {
        this.resources.set(type, byId);
      }
      for (const [type, byId] of history) {
        this.history.set(type, byId);
      }
      throw error;
    }
  }
}
