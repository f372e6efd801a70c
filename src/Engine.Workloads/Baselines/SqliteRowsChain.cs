using System.Globalization;
using Graph.Engine.Graphs;
using Graph.Engine.Sqlite;
using Graph.Engine.Workloads.Engine;
using Microsoft.Data.Sqlite;

namespace Graph.Engine.Workloads.Baselines;

/// <summary>
/// chain10-sqlite's floor: the rows one chain10 run leaves in the SQLite store's file, inserted under a new thread id
/// by plain prepared <c>INSERT</c>s in one transaction per run, on one connection set up as the store's writer
/// (<c>journal_mode=WAL</c>, <c>synchronous=NORMAL</c>). No engine, no queue, no digest computed, nothing read or
/// checked: what SQLite itself costs on this machine to commit what the store keeps of a run.
/// </summary>
/// <remarks>
/// The rows are copied from a real run: setup runs chain10 once on a <see cref="SqliteCheckpointer"/> (the store
/// creates the schema), then reads back every row of that thread from <c>checkpoints</c>, <c>writes</c>,
/// <c>write_counts</c> and <c>threads</c>, so the floor follows the schema as it changes. Only the thread differs
/// between runs: its id in <c>threads</c>, whose new row gets the next key (the key column bound to NULL), and that
/// key in the other tables' rows (the digests are the template's: nothing reads them). The file is deleted at teardown.
/// </remarks>
public sealed class SqliteRowsChain() : Workload(WorkloadNames.Chain10Sqlite, BaselineNames.SqliteRows, MeasureKind.PerRun)
{
    /// <summary>The tables a run's rows go to, in the order the store fills them (the thread's row first: it gives the key).</summary>
    private static readonly string[] Tables = ["threads", "checkpoints", "writes", "write_counts"];

    private readonly string threadPrefix = $"bench-{Guid.NewGuid():N}-";
    private readonly List<(string Table, SqliteCommand Insert, int ThreadColumn, int KeyColumn, object[][] Rows)> inserts = [];
    private SqliteConnection? connection;
    private SqliteCommand? begin;
    private SqliteCommand? commit;
    private long runs;

    /// <summary>Gets the temporary database file, set by <see cref="SetupAsync"/>.</summary>
    public string? Path { get; private set; }

    /// <summary>Gets how many rows each run inserts, by table, read from the template run in <see cref="SetupAsync"/>.</summary>
    public IReadOnlyDictionary<string, int> RowsPerRun => inserts.ToDictionary(insert => insert.Table, insert => insert.Rows.Length, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override async ValueTask SetupAsync(CancellationToken cancellationToken)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"graph-bench-rows-{Guid.NewGuid():N}.db");
        const string template = "template";
        await using (var store = SqliteCheckpointer.Open(Path))
        {
            await using var graph = EngineGraphs.Chain(10, GraphCompileOptions.Default with { Checkpointer = store });
            Check(await graph.InvokeAsync(0, new RunOptions { ThreadId = template }, cancellationToken).ConfigureAwait(false), 10);
        }

        connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        Execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        foreach (var table in Tables)
        {
            PrepareCopy(table, template);
        }

        begin = Prepare("BEGIN IMMEDIATE");
        commit = Prepare("COMMIT");
    }

    /// <inheritdoc/>
    public override ValueTask RunAsync(int iterations, CancellationToken cancellationToken)
    {
        for (var i = 0; i < iterations; i++)
        {
            var thread = threadPrefix + (++runs).ToString(CultureInfo.InvariantCulture);
            object key = DBNull.Value;
            begin!.ExecuteNonQuery();
            foreach (var (_, insert, threadColumn, keyColumn, rows) in inserts)
            {
                foreach (var values in rows)
                {
                    for (var c = 0; c < values.Length; c++)
                    {
                        insert.Parameters[c].Value = c == threadColumn ? thread : c == keyColumn ? key : values[c];
                    }

                    insert.ExecuteNonQuery();
                    if (threadColumn >= 0)
                    {
                        key = SQLitePCL.raw.sqlite3_last_insert_rowid(connection!.Handle);
                    }
                }
            }

            commit!.ExecuteNonQuery();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override ValueTask TeardownAsync()
    {
        foreach (var (_, insert, _, _, _) in inserts)
        {
            insert.Dispose();
        }

        begin?.Dispose();
        commit?.Dispose();
        connection?.Dispose();
        if (Path is not null)
        {
            foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", Path + "-journal" })
            {
                File.Delete(file);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Reads the template thread's rows of <paramref name="table"/> and prepares the insert that copies them.</summary>
    private void PrepareCopy(string table, string template)
    {
        using var select = connection!.CreateCommand();
        select.CommandText = $"SELECT * FROM {table} WHERE thread_key = (SELECT thread_key FROM threads WHERE thread_id = $thread)";
        select.Parameters.AddWithValue("$thread", template);
        var rows = new List<object[]>();
        string[] columns;
        using (var reader = select.ExecuteReader())
        {
            columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            while (reader.Read())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(values);
            }
        }

        var insert = Prepare(
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})",
            columns.Length);
        inserts.Add((table, insert, Array.IndexOf(columns, "thread_id"), Array.IndexOf(columns, "thread_key"), [.. rows]));
    }

    private SqliteCommand Prepare(string sql, int parameters = 0)
    {
        var command = connection!.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture), Value = DBNull.Value });
        }

        command.Prepare();
        return command;
    }

    private void Execute(string sql)
    {
        using var command = connection!.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
