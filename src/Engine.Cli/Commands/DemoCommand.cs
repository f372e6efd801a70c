using System.CommandLine;

namespace Graph.Cli.Commands;

/// <summary><c>graph demo [--db FILE]</c>: runs a small demo graph, checkpointing to SQLite. Not available yet.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        var db = CommonOptions.Database(required: false);
        var command = new Command("demo", "Run a small demo graph with the SQLite checkpointer.") { db };
        command.SetAction(_ => CommonOptions.NotAvailable("demo"));
        return command;
    }
}
