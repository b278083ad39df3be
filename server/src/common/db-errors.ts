/** Whether a driver error (MySQL/MariaDB or SQLite, possibly wrapped by TypeORM) is a unique-key violation. */
export function isDuplicateKey(err: unknown): boolean {
  const anyErr = err as { driverError?: { code?: unknown }; code?: unknown } | null;
  const code = anyErr?.driverError?.code ?? anyErr?.code;
  return code === 'ER_DUP_ENTRY' || String(code).startsWith('SQLITE_CONSTRAINT');
}

/** Whether a driver error is a deadlock or lock wait the whole transaction may be retried after. */
export function isRetryableLock(err: unknown): boolean {
  const anyErr = err as { driverError?: { code?: unknown }; code?: unknown } | null;
  const code = anyErr?.driverError?.code ?? anyErr?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}
