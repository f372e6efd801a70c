using System.CommandLine;

namespace Graph.Cli.Commands;

/// <summary><c>graph threads --db F</c>: lists the threads of a checkpoint database. Not available yet.</summary>
internal static class ThreadsCommand
{
    public static Command Create(CliContext context)
    {
        _ = context;
        var db = CommonOptions.Database(required: true);
        var command = new Command("threads", "List the threads of a checkpoint database.") { db };
        command.SetAction(parsed =>
        {
            CommonOptions.Existing(parsed.GetRequiredValue(db));
            return CommonOptions.NotAvailable("threads");
        });
        return command;
    }
}
