import { randomBytes } from 'node:crypto';

/**
 * Capability URLs for a session's recording in browser mode. A <video> or <audio> element cannot send the
 * token header, so the page gets, with each `sessions.get`, a random, unguessable ticket naming one
 * session's recording. A ticket lives while it is used (each request extends it by IDLE_MS) and never
 * longer than MAX_AGE_MS, only as long as this server runs, and at most MAX_TICKETS are held (oldest go).
 */
export const IDLE_MS = 60 * 60 * 1000;
export const MAX_AGE_MS = 8 * 60 * 60 * 1000;
export const MAX_TICKETS = 64;

interface Ticket {
  sessionId: number;
  issuedAt: number;
  lastUsed: number;
}

export class MediaTickets {
  private readonly tickets = new Map<string, Ticket>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(sessionId: number): string {
    const id = randomBytes(24).toString('base64url');
    const t = this.now();
    this.tickets.set(id, { sessionId, issuedAt: t, lastUsed: t });
    while (this.tickets.size > MAX_TICKETS) this.tickets.delete(this.tickets.keys().next().value!);
    return id;
  }

  /** The session a live ticket names (and the ticket is used, so extended), else null. */
  redeem(id: string): number | null {
    const ticket = this.tickets.get(id);
    if (!ticket) return null;
    const t = this.now();
    if (t - ticket.lastUsed > IDLE_MS || t - ticket.issuedAt > MAX_AGE_MS) {
      this.tickets.delete(id);
      return null;
    }
    ticket.lastUsed = t;
    return ticket.sessionId;
  }
}
