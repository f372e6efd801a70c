using System.CommandLine;

namespace Graph.Cli.Commands;

/// <summary><c>graph history --db F --thread T</c>: lists a thread's checkpoints. Not available yet.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        var db = CommonOptions.Database(required: true);
        var thread = CommonOptions.Thread();
        var command = new Command("history", "List the checkpoints of a thread, newest first.") { db, thread };
        command.SetAction(parsed =>
        {
            CommonOptions.Existing(parsed.GetRequiredValue(db));
            return CommonOptions.NotAvailable("history");
        });
        return command;
    }
}
