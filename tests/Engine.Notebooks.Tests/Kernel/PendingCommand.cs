using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Graph.Engine.Notebooks.Tests.Kernel;

/// <summary>The events of one <c>SubmitCode</c> command, collected until it succeeds or fails.</summary>
internal sealed class PendingCommand(string token)
{
    private readonly StringBuilder output = new();
    private readonly List<string> errors = [];

    /// <summary>The command's token; events of commands it caused carry this token plus a suffix.</summary>
    public string Token { get; } = token;

    /// <summary>Completes with the outcome on <c>CommandSucceeded</c> or <c>CommandFailed</c> for <see cref="Token"/>.</summary>
    public TaskCompletionSource<KernelSubmission> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A snapshot of the output so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Records one event; <paramref name="isRoot"/> is false for events of commands the cell caused.</summary>
    public void Handle(string eventType, JsonElement body, bool isRoot)
    {
        switch (eventType)
        {
            case "StandardOutputValueProduced" or "StandardErrorValueProduced":
                Append(FormattedText(body), ownLine: false);
                break;
            case "DisplayedValueProduced" or "DisplayedValueUpdated" or "ReturnValueProduced":
                Append(FormattedText(body), ownLine: true);
                break;
            case "ErrorProduced":
                AddError(StringProperty(body, "message"));
                break;
            case "DiagnosticsProduced":
                if (body.TryGetProperty("diagnostics", out var diagnostics) && diagnostics.ValueKind == JsonValueKind.Array)
                {
                    foreach (var diagnostic in diagnostics.EnumerateArray().Where(d => StringProperty(d, "severity") == "error"))
                    {
                        AddError(DescribeDiagnostic(diagnostic));
                    }
                }

                break;
            case "CommandSucceeded" when isRoot:
                Complete(succeeded: true, string.Empty);
                break;
            case "CommandFailed" when isRoot:
                Complete(succeeded: false, StringProperty(body, "message") ?? "CommandFailed without a message");
                break;
        }
    }

    /// <summary>Completes the command; a failure's error also lists errors reported before that its message lacks.</summary>
    public void Complete(bool succeeded, string message)
    {
        string error;
        lock (output)
        {
            error = succeeded
                ? string.Empty
                : string.Join(Environment.NewLine, new[] { message }.Concat(errors.Where(e => !message.Contains(e, StringComparison.Ordinal))));
        }

        Completion.TrySetResult(new KernelSubmission(succeeded, error, Output));
    }

    private void Append(string? text, bool ownLine)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        lock (output)
        {
            if (ownLine && output.Length > 0 && output[^1] != '\n')
            {
                output.Append('\n');
            }

            output.Append(text);
            if (ownLine && text[^1] != '\n')
            {
                output.Append('\n');
            }
        }
    }

    private void AddError(string? error)
    {
        if (!string.IsNullOrWhiteSpace(error))
        {
            lock (output)
            {
                errors.Add(error);
            }
        }
    }

    private static string DescribeDiagnostic(JsonElement diagnostic)
    {
        var where = diagnostic.TryGetProperty("linePositionSpan", out var span) && span.TryGetProperty("start", out var start) &&
            start.TryGetProperty("line", out var line) && start.TryGetProperty("character", out var character)
                ? string.Create(CultureInfo.InvariantCulture, $"({line.GetInt32() + 1},{character.GetInt32() + 1}): ")
                : string.Empty;
        return $"{where}error {StringProperty(diagnostic, "code")}: {StringProperty(diagnostic, "message")}";
    }

    private static string? FormattedText(JsonElement body)
    {
        if (!body.TryGetProperty("formattedValues", out var values) || values.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var all = values.EnumerateArray().ToList();
        var chosen = all.FirstOrDefault(v => StringProperty(v, "mimeType") == "text/plain");
        return StringProperty(chosen.ValueKind == JsonValueKind.Object ? chosen : all.FirstOrDefault(), "value");
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
