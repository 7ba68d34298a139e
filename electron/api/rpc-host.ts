import { ApiError } from '../contract/api.js';
import type { AffectService } from './service.js';

export interface RpcRequest {
  id: number;
  method: string;
  input: unknown;
}

export type RpcResponse = { id: number; result: unknown } | { id: number; error: string; code: string };

/**
 * The engine host's message loop, independent of the transport: the Electron utility process
 * (process.parentPort) and the tests (a plain function) both use it.
 */
export function createRpcHost(service: AffectService, post: (msg: RpcResponse) => void) {
  return async (msg: RpcRequest): Promise<void> => {
    if (!msg || typeof msg.id !== 'number' || typeof msg.method !== 'string') return;
    try {
      post({ id: msg.id, result: await service.handle(msg.method, msg.input) });
    } catch (err) {
      post({ id: msg.id, error: (err as Error).message, code: err instanceof ApiError ? err.code : 'failed' });
    }
  };
}

/** The other end: turns request/response messages back into promises. */
export function createRpcClient(send: (msg: RpcRequest) => void) {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  return {
    call(method: string, input: unknown): Promise<unknown> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ id, method, input });
      });
    },
    receive(msg: RpcResponse): void {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if ('error' in msg) p.reject(new ApiError(msg.error, msg.code as ApiError['code']));
      else p.resolve(msg.result);
    },
    failAll(reason: string): void {
      for (const p of pending.values()) p.reject(new Error(reason));
      pending.clear();
    },
  };
}
