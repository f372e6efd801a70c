using System.CommandLine;

namespace Graph.Cli.Commands;

/// <summary><c>graph resume --db F --thread T [--value V]</c>: resumes an interrupted thread. Not available yet.</summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        var db = CommonOptions.Database(required: true);
        var thread = CommonOptions.Thread();
        var value = new Option<string>("--value")
        {
            Description = "The value to resume the interrupt with.",
            HelpName = "V",
        };
        var command = new Command("resume", "Resume an interrupted thread from its last checkpoint.") { db, thread, value };
        command.SetAction(parsed =>
        {
            CommonOptions.Existing(parsed.GetRequiredValue(db));
            return CommonOptions.NotAvailable("resume");
        });
        return command;
    }
}
