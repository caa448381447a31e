import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/** What the driver needs of a connection: better-sqlite3's prepare (possibly behind a statement cache) and close. */
export type SqliteHandle = Pick<SQLite.Database, 'prepare' | 'close'>;

/**
 * SQLite with one writer connection and one read-only connection to the same WAL file.
 *
 * Kysely's own SQLite driver has a single connection behind a mutex, so while an import writes a million rows in one
 * transaction (about two minutes) every other request of every company waits for it. Here a statement outside any
 * transaction that SQLite itself reports read-only (`Statement.readonly`) runs on the reader connection: WAL gives
 * it the last committed state, never the import's uncommitted rows, and it needs no lock. Transactions and every
 * other statement use the writer connection under the mutex, as before; writes still queue behind a long import.
 *
 * better-sqlite3 is synchronous: a reader statement runs between two statements of the writer (the writer lets the
 * event loop turn before each), not in parallel with a running statement.
 */
export class SqliteRoutedDialect implements Dialect {
  constructor(private readonly config: { writer: SqliteHandle; reader?: SqliteHandle }) {}
  createDriver(): Driver {
    return new RoutedDriver(this.config.writer, this.config.reader);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  /** Resolves with the function that releases the lock, once every earlier holder has released it. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return ready;
  }
}

class RoutedDriver implements Driver {
  readonly #writerLock = new Mutex();
  constructor(
    private readonly writer: SqliteHandle,
    private readonly reader: SqliteHandle | undefined,
  ) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // No lock yet: a connection takes the writer's lock only when it writes or begins a transaction.
    return new RoutedConnection(this.writer, this.reader, () => this.#writerLock.lock());
  }
  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings) {
    await (connection as RoutedConnection).holdWriter();
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to "${name}"`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release "${name}"`));
  }
  async releaseConnection(connection: DatabaseConnection) {
    (connection as RoutedConnection).release();
  }
  async destroy() {
    this.reader?.close();
    this.writer.close();
  }
}

class RoutedConnection implements DatabaseConnection {
  #release: (() => void) | undefined;
  constructor(
    private readonly writer: SqliteHandle,
    private readonly reader: SqliteHandle | undefined,
    private readonly lockWriter: () => Promise<() => void>,
  ) {}

  async holdWriter() {
    this.#release ??= await this.lockWriter();
  }

  release() {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    // Inserts, updates and deletes go straight to the writer; selects and raw SQL ask SQLite whether they write.
    // Raw SQL must also read as a query: a PRAGMA that SQLite calls read-only still sets the connection it runs on.
    if (!this.#release && this.reader && (SelectQueryNode.is(query) || (query.kind === 'RawNode' && /^\s*(select|with)\b/i.test(sql)))) {
      const stmt = this.reader.prepare(sql);
      if (stmt.readonly && stmt.reader) return { rows: stmt.all(parameters) as R[] };
    }
    await this.holdWriter();
    // A statement of better-sqlite3 returns an already settled promise, so a transaction's statements would follow one
    // another without ever letting the event loop run; one turn of it between two lets waiting reads be answered
    // (measured: a 10,000-row import's last steps held every request for 400 ms in one stretch).
    if (this.reader) await new Promise((resolve) => setImmediate(resolve));
    const stmt = this.writer.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) throw new Error('SQLite streams only select queries');
    // Outside a transaction on the reader: better-sqlite3 refuses writes on a connection while one of its statements
    // iterates, but not reads, and the reader only reads; a long stream then holds no lock.
    const { sql, parameters } = compiledQuery;
    const db = !this.#release && this.reader ? this.reader : (await this.holdWriter(), this.writer);
    for (const row of db.prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }
}
