using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Graph.Cli.Cluster;

/// <summary>
/// A throwaway PostgreSQL server for the cluster demo, as .ci/postgres.sh starts one: a cluster in a temporary folder
/// (as the <c>postgres</c> user when run as root), on 127.0.0.1 and a free port, fsync off, deleted when disposed.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string bin;
    private readonly string folder;

    private LocalPostgres(string bin, string folder, string connectionString)
    {
        this.bin = bin;
        this.folder = folder;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Starts a server.</summary>
    /// <exception cref="CliException">PostgreSQL is not installed, or the server did not start.</exception>
    public static async Task<LocalPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")))
            : null;
        if (bin is null)
        {
            throw new CliException(
                ExitCodes.NotAvailable,
                "PostgreSQL is not installed: run 'bash .ci/postgres.sh run -- graph cluster-demo' (installs it), install it (apt-get install -y postgresql), or pass --pg with a connection string.");
        }

        var folder = Directory.CreateTempSubdirectory("graph-cluster-pg.").FullName;
        var root = Environment.UserName == "root";
        if (root)
        {
            await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false, cancellationToken).ConfigureAwait(false);
        }

        var port = FreePort();
        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"], root, cancellationToken).ConfigureAwait(false);
        await RunAsync(
            Path.Combine(bin, "pg_ctl"),
            ["-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c max_connections=200", "start"],
            root,
            cancellationToken).ConfigureAwait(false);
        var server = new LocalPostgres(bin, folder, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop"], Environment.UserName == "root", CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] args, bool asPostgres, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres)
        {
            info.FileName = "runuser";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add("postgres");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(program);
        }
        else
        {
            info.FileName = program;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new CliException(ExitCodes.NotAvailable, $"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new CliException(ExitCodes.NotAvailable, $"{Path.GetFileName(program)} failed ({process.ExitCode}): {(await error.ConfigureAwait(false)).Trim()} {(await output.ConfigureAwait(false)).Trim()}");
        }
    }
}
