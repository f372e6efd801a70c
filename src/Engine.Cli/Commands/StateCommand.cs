using System.CommandLine;

namespace Graph.Cli.Commands;

/// <summary><c>graph state --db F --thread T [--checkpoint C]</c>: shows a thread's state. Not available yet.</summary>
internal static class StateCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        var db = CommonOptions.Database(required: true);
        var thread = CommonOptions.Thread();
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "The checkpoint id (the latest when omitted).",
            HelpName = "C",
        };
        var command = new Command("state", "Show the state of a thread at its latest or a given checkpoint.") { db, thread, checkpoint };
        command.SetAction(parsed =>
        {
            CommonOptions.Existing(parsed.GetRequiredValue(db));
            return CommonOptions.NotAvailable("state");
        });
        return command;
    }
}
