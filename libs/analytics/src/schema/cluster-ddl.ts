/**
 * Turns a migration's statements (as rendered for one server) into their ON CLUSTER, Replicated form.
 *
 * The .sql files stay as they are, rather than carrying cluster placeholders: their checksums are
 * recorded by every database already migrated, and a single server must keep getting exactly the
 * statements it got before. The rewriting is therefore kept to a closed set of statement shapes — the
 * ones the migrations use — and anything else is refused rather than guessed at.
 */

/** Where the cluster's tables go: both names already checked identifiers. */
export interface ClusterTarget {
  cluster: string;
  database: string;
}

/**
 * Local table → sharding key of the Distributed table `<table>_distributed` created over it, for
 * producers that insert into several shards. By actor: all of an actor's events, redelivered copies
 * included, land on one shard, where ReplacingMergeTree collapses the copies and erasure finds them.
 */
const DISTRIBUTED_TABLES: ReadonlyMap<string, string> = new Map([['events', 'cityHash64(actor_key)']]);

/** The DDL shapes the migrations use, naming `{database}`.<object> (rendered as `db`.name). */
const DDL_HEAD =
  /^(CREATE\s+(?:TABLE|MATERIALIZED\s+VIEW|VIEW)|ALTER\s+TABLE|DROP\s+(?:TABLE|VIEW))(?:\s+IF\s+(?:NOT\s+)?EXISTS)?\s+`([A-Za-z0-9_]+)`\.([A-Za-z_][A-Za-z0-9_]*)/i;

/** A backfill: `INSERT INTO {database}.<table> SELECT …`. */
const BACKFILL_HEAD = /^INSERT\s+INTO\s+`([A-Za-z0-9_]+)`\.[A-Za-z_][A-Za-z0-9_]*\s+SELECT\b/i;

const ENGINE = /\bENGINE\s*=\s*(\w*MergeTree)\b/gi;

/**
 * One statement for the cluster: `ON CLUSTER` after the object's name, every *MergeTree engine its
 * Replicated* counterpart (Keeper path per shard and table, replica `{replica}`, the original
 * arguments after those two), and after the creation of a table of DISTRIBUTED_TABLES, its
 * Distributed table. Throws for a statement it does not know how to carry to a cluster.
 */
export function clusterStatements(statement: string, target: ClusterTarget): string[] {
  const backfill = BACKFILL_HEAD.exec(statement);
  if (backfill !== null) return [checkedBackfill(statement, backfill[1] as string, target)];
  const head = DDL_HEAD.exec(statement);
  if (head === null)
    throw new Error(
      `cannot run on a cluster: only CREATE TABLE, CREATE [MATERIALIZED] VIEW, ALTER TABLE, DROP TABLE|VIEW and INSERT INTO … SELECT of {database}.<name> are rewritten, got: ${preview(statement)}`,
    );
  const [matched, verb, database, table] = head as unknown as [string, string, string, string];
  if (database !== target.database)
    throw new Error(
      `cannot run on a cluster: ${preview(statement)} names database ${database}, not {database}`,
    );
  const action = verb.split(/\s+/)[0]?.toUpperCase();
  if (action !== 'CREATE' && DISTRIBUTED_TABLES.has(table))
    throw new Error(
      `cannot run on a cluster: ${preview(statement)} changes ${table}, and ${table}_distributed (created by AS ${table}) would not follow; alter or drop both in the cluster rendering first`,
    );

  const onCluster = `${matched} ON CLUSTER \`${target.cluster}\`${statement.slice(matched.length)}`;
  const rendered = replicateEngines(onCluster, target.database, table);
  if (action !== 'CREATE' || !DISTRIBUTED_TABLES.has(table)) return [rendered];
  return [rendered, distributedTable(target, table)];
}

/**
 * A backfill runs once, as it is, on the server the migrator talks to: its table is Replicated, so the
 * rows reach the shard's other replicas (one shard, as docs/clickhouse-cluster.md says).
 */
function checkedBackfill(statement: string, database: string, target: ClusterTarget): string {
  if (database !== target.database)
    throw new Error(
      `cannot run on a cluster: ${preview(statement)} names database ${database}, not {database}`,
    );
  return statement;
}

function distributedTable({ cluster, database }: ClusterTarget, table: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS \`${database}\`.${table}_distributed ON CLUSTER \`${cluster}\` AS \`${database}\`.${table}\n` +
    `ENGINE = Distributed('${cluster}', '${database}', '${table}', ${DISTRIBUTED_TABLES.get(table)})`
  );
}

function replicateEngines(statement: string, database: string, table: string): string {
  let result = '';
  let from = 0;
  for (const match of statement.matchAll(ENGINE)) {
    const family = match[1] as string;
    if (/^(Replicated|Shared)/i.test(family))
      throw new Error(
        `cannot run on a cluster: ${preview(statement)} already names ${family}; write the plain engine`,
      );
    const nameStart = (match.index ?? 0) + match[0].length - family.length;
    const { args, end } = engineArguments(statement, nameStart + family.length);
    // One replica set per shard and table in Keeper.
    const replicated = [
      `'/clickhouse/tables/{shard}/${database}/${table}'`,
      `'{replica}'`,
      ...(args ? [args] : []),
    ];
    result += `${statement.slice(from, nameStart)}Replicated${family}(${replicated.join(', ')})`;
    from = end;
  }
  return result + statement.slice(from);
}

/** The engine's arguments (the text between its parentheses, or '' without them) and where they end. */
function engineArguments(statement: string, at: number): { args: string; end: number } {
  const open = /^\s*\(/.exec(statement.slice(at));
  if (open === null) return { args: '', end: at };
  let depth = 0;
  let quote: string | undefined;
  for (let i = at + open[0].length - 1; i < statement.length; i++) {
    const char = statement[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '`' || char === '"') quote = char;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0)
      return { args: statement.slice(at + open[0].length, i).trim(), end: i + 1 };
  }
  throw new Error(`unbalanced engine arguments in ${preview(statement)}`);
}

function preview(statement: string): string {
  const flat = statement.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 80)}…` : flat;
}
