using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Graph.Engine.Sqlite;

/// <summary>
/// The writer's instruments on the <see cref="SqliteCheckpointer.MeterName"/> meter, each measurement tagged with the
/// store's file (<c>graph.sqlite.file</c>): statements run, transactions committed and commits synced to disk.
/// </summary>
internal static class SqliteWriterMetrics
{
    public const string FileTag = "graph.sqlite.file";

    private static readonly Meter Meter = new(SqliteCheckpointer.MeterName);
    private static readonly Counter<long> Statements = Meter.CreateCounter<long>("graph.sqlite.statements", "{statement}", "SQL statements run by the store's writer.");
    private static readonly Counter<long> Commits = Meter.CreateCounter<long>("graph.sqlite.commits", "{commit}", "Transactions committed by the store's writer (one per batch of requests).");
    private static readonly Counter<long> SyncedCommits = Meter.CreateCounter<long>(
        "graph.sqlite.synced_commits", "{commit}", "Commits made with synchronous=FULL: each syncs the write-ahead log to disk once.");

    /// <summary>Reports one batch: the statements it ran and its commit.</summary>
    public static void Batch(string path, long statements, bool committed, bool synced)
    {
        if (!Statements.Enabled && !Commits.Enabled && !SyncedCommits.Enabled)
        {
            return;
        }

        var file = new TagList { { FileTag, path } };
        Statements.Add(statements, file);
        if (committed)
        {
            Commits.Add(1, file);
            if (synced)
            {
                SyncedCommits.Add(1, file);
            }
        }
    }
}
