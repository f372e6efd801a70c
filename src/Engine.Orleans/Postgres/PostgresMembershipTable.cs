using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Graph.Engine.Orleans.Postgres;

/// <summary>
/// Orleans' membership table in PostgreSQL. Every change of a silo row also moves the cluster's version row, both under
/// optimistic etags in one transaction, as Orleans' membership protocol requires (a write that raced another fails).
/// </summary>
internal sealed class PostgresMembershipTable(PostgresClusterDatabase database, IOptions<ClusterOptions> cluster) : IMembershipTable
{
    private const string Columns = "address, port, generation, silo_name, host_name, status, proxy_port, suspect_times, start_time, i_am_alive, etag";
    private readonly string clusterId = cluster.Value.ClusterId;

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        if (tryInitTableVersion)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO graph_cluster_versions (cluster_id, version, etag) VALUES ($1, 0, 0) ON CONFLICT DO NOTHING", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM graph_cluster_versions WHERE cluster_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "DELETE FROM graph_cluster_members WHERE cluster_id = $1 AND status = $2 AND i_am_alive < $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = (int)SiloStatus.Dead });
        command.Parameters.Add(new NpgsqlParameter { Value = beforeDate.UtcDateTime });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadAsync(key);

    public Task<MembershipTableData> ReadAll() => ReadAsync(null);

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => WriteAsync(entry, null, tableVersion);

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => WriteAsync(entry, etag, tableVersion);

    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "UPDATE graph_cluster_members SET i_am_alive = $5 WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4", connection);
        AddKey(command, entry.SiloAddress);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.IAmAliveTime.ToUniversalTime() });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private async Task<MembershipTableData> ReadAsync(SiloAddress? key)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead).ConfigureAwait(false);
        TableVersion version;
        await using (var command = new NpgsqlCommand("SELECT version, etag FROM graph_cluster_versions WHERE cluster_id = $1", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            version = await reader.ReadAsync().ConfigureAwait(false)
                ? new TableVersion(reader.GetInt32(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture))
                : new TableVersion(0, "0");
        }

        var rows = new List<Tuple<MembershipEntry, string>>();
        var sql = $"SELECT {Columns} FROM graph_cluster_members WHERE cluster_id = $1"
            + (key is null ? string.Empty : " AND address = $2 AND port = $3 AND generation = $4");
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            if (key is null)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
            }
            else
            {
                AddKey(command, key);
            }

            await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                rows.Add(Tuple.Create(ReadEntry(reader), reader.GetInt64(10).ToString(CultureInfo.InvariantCulture)));
            }
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return new MembershipTableData(rows, version);
    }

    /// <summary>Inserts (<paramref name="etag"/> null) or updates a silo row and moves the version, if both etags still match.</summary>
    private async Task<bool> WriteAsync(MembershipEntry entry, string? etag, TableVersion tableVersion)
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        await using (var bump = new NpgsqlCommand(
            "UPDATE graph_cluster_versions SET version = $2, etag = etag + 1 WHERE cluster_id = $1 AND etag = $3", connection, transaction))
        {
            bump.Parameters.Add(new NpgsqlParameter { Value = clusterId });
            bump.Parameters.Add(new NpgsqlParameter { Value = tableVersion.Version });
            bump.Parameters.Add(new NpgsqlParameter { Value = ParseEtag(tableVersion.VersionEtag) });
            if (await bump.ExecuteNonQueryAsync().ConfigureAwait(false) != 1)
            {
                await transaction.RollbackAsync().ConfigureAwait(false);
                return false;
            }
        }

        var sql = etag is null
            ? $"INSERT INTO graph_cluster_members (cluster_id, {Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0) ON CONFLICT DO NOTHING"
            : "UPDATE graph_cluster_members SET silo_name = $5, host_name = $6, status = $7, proxy_port = $8, suspect_times = $9, start_time = $10, i_am_alive = $11, etag = etag + 1 "
              + "WHERE cluster_id = $1 AND address = $2 AND port = $3 AND generation = $4 AND etag = $12";
        await using (var write = new NpgsqlCommand(sql, connection, transaction))
        {
            AddKey(write, entry.SiloAddress);
            write.Parameters.Add(new NpgsqlParameter { Value = entry.SiloName ?? string.Empty });
            write.Parameters.Add(new NpgsqlParameter { Value = entry.HostName ?? string.Empty });
            write.Parameters.Add(new NpgsqlParameter { Value = (int)entry.Status });
            write.Parameters.Add(new NpgsqlParameter { Value = entry.ProxyPort });
            write.Parameters.Add(new NpgsqlParameter { Value = EncodeSuspects(entry.SuspectTimes) });
            write.Parameters.Add(new NpgsqlParameter { Value = entry.StartTime.ToUniversalTime() });
            write.Parameters.Add(new NpgsqlParameter { Value = entry.IAmAliveTime.ToUniversalTime() });
            if (etag is not null)
            {
                write.Parameters.Add(new NpgsqlParameter { Value = ParseEtag(etag) });
            }

            if (await write.ExecuteNonQueryAsync().ConfigureAwait(false) != 1)
            {
                await transaction.RollbackAsync().ConfigureAwait(false);
                return false;
            }
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        return true;
    }

    private void AddKey(NpgsqlCommand command, SiloAddress silo)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Endpoint.Address.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Endpoint.Port });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Generation });
    }

    private static MembershipEntry ReadEntry(NpgsqlDataReader reader) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1)), reader.GetInt32(2)),
        SiloName = reader.GetString(3),
        HostName = reader.GetString(4),
        Status = (SiloStatus)reader.GetInt32(5),
        ProxyPort = reader.GetInt32(6),
        SuspectTimes = DecodeSuspects(reader.GetString(7)),
        StartTime = DateTime.SpecifyKind(reader.GetDateTime(8), DateTimeKind.Utc),
        IAmAliveTime = DateTime.SpecifyKind(reader.GetDateTime(9), DateTimeKind.Utc),
    };

    private static long ParseEtag(string etag) =>
        long.TryParse(etag, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"'{etag}' is not an etag of this membership table.", nameof(etag));

    /// <summary>Suspicions as "silo@ticks" separated by '|' (a silo's parsable form has neither character).</summary>
    private static string EncodeSuspects(List<Tuple<SiloAddress, DateTime>>? suspects) =>
        suspects is null ? string.Empty
            : string.Join('|', suspects.Select(s => s.Item1.ToParsableString() + "@" + s.Item2.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)));

    private static List<Tuple<SiloAddress, DateTime>> DecodeSuspects(string text) =>
        text.Length == 0 ? []
            : [.. text.Split('|').Select(s =>
            {
                var at = s.LastIndexOf('@');
                return Tuple.Create(
                    SiloAddress.FromParsableString(s[..at]),
                    new DateTime(long.Parse(s[(at + 1)..], CultureInfo.InvariantCulture), DateTimeKind.Utc));
            })];
}
