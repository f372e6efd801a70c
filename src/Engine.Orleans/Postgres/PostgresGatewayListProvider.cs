using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace Graph.Engine.Orleans.Postgres;

/// <summary>The gateways a client may connect to: the active silos of the membership table that have a gateway port.</summary>
internal sealed class PostgresGatewayListProvider(PostgresClusterDatabase database, IOptions<ClusterOptions> cluster, IOptions<GatewayOptions> gateways)
    : IGatewayListProvider
{
    public TimeSpan MaxStaleness => gateways.Value.GatewayListRefreshPeriod;

    public bool IsUpdatable => true;

    public async Task InitializeGatewayListProvider()
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
    }

    public async Task<IList<Uri>> GetGateways()
    {
        await using var connection = await database.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "SELECT address, proxy_port, generation FROM graph_cluster_members WHERE cluster_id = $1 AND status = $2 AND proxy_port > 0", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ClusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = (int)SiloStatus.Active });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var result = new List<Uri>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var endpoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1));
            result.Add(SiloAddress.New(endpoint, reader.GetInt32(2)).ToGatewayUri());
        }

        return result;
    }
}
