/** Whether a driver error (MySQL/MariaDB or SQLite, possibly wrapped by TypeORM) is a unique-key violation. */
export function isDuplicateKey(err: unknown): boolean {
  const anyErr = err as { driverError?: { code?: unknown }; code?: unknown } | null;
  const code = anyErr?.driverError?.code ?? anyErr?.code;
  return code === 'ER_DUP_ENTRY' || String(code).startsWith('SQLITE_CONSTRAINT');
}
