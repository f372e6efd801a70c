using Graph.Engine.Checkpoints;
using Npgsql;

namespace Graph.Engine.Postgres;

/// <summary>Maintenance of the store: the consistency check and compaction.</summary>
public sealed partial class PostgresCheckpointer
{
    /// <summary>
    /// Checks the store's references: no checkpoint without its state, no state or chunk without a user, every chunk's
    /// reference count equal to the number of states that list it, no pending write without its checkpoint.
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The counts of each kind of broken reference.</returns>
    public Task<CheckpointConsistencyReport> CheckConsistencyAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(null, (connection, ct) => PostgresConsistency.CheckAsync(connection, Schema, ct), cancellationToken);

    /// <summary>
    /// Rewrites the store's tables without dead rows (<c>VACUUM FULL</c>), after retention deleted checkpoints. It takes an
    /// exclusive lock on each table while it runs: other writers and readers of the store wait.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The size of the store's tables and indexes before and after, in bytes.</returns>
    /// <exception cref="CheckpointStoreException">The server refused or failed.</exception>
    public Task<(long Before, long After)> CompactAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<(long, long)>(null, async (connection, ct) =>
        {
            var size = PostgresSchema.Sql(Schema, "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'");
            async Task<long> SizeAsync()
            {
                await using var command = new NpgsqlCommand(size, connection);
                command.Parameters.Add(new NpgsqlParameter { Value = Schema });
                return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            var before = await SizeAsync().ConfigureAwait(false);
            await using (var vacuum = new NpgsqlCommand(PostgresSchema.Sql(Schema, "VACUUM FULL {s}.blobs, {s}.chunks, {s}.checkpoints, {s}.writes, {s}.write_counts, {s}.threads"), connection))
            {
                await vacuum.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return (before, await SizeAsync().ConfigureAwait(false));
        }, cancellationToken);
}
