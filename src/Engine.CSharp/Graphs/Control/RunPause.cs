namespace Graph.Engine.Graphs;

/// <summary>How a run that stopped without failing is reported: interrupted, drained (no interrupts) or waiting (only timers).</summary>
internal static class RunPause
{
    public static GraphRunStatus StatusOf(IReadOnlyList<GraphInterrupt> interrupts)
    {
        if (interrupts.Count == 0)
        {
            return GraphRunStatus.Drained;
        }

        foreach (var i in interrupts)
        {
            if (i.Kind != InterruptKind.Timer)
            {
                return GraphRunStatus.Interrupted;
            }
        }

        return GraphRunStatus.Waiting;
    }

    /// <summary>The earliest due time of the timers among <paramref name="interrupts"/>, or null.</summary>
    public static DateTimeOffset? WakeAtOf(IReadOnlyList<GraphInterrupt> interrupts)
    {
        DateTimeOffset? earliest = null;
        foreach (var i in interrupts)
        {
            if (i.Value is DurableTimer timer && (earliest is null || timer.WakeAt < earliest))
            {
                earliest = timer.WakeAt;
            }
        }

        return earliest;
    }

    public static string Describe(string? threadId, long? checkpointId, IReadOnlyList<GraphInterrupt> interrupts) => StatusOf(interrupts) switch
    {
        GraphRunStatus.Drained => $"The run of thread '{threadId}' was drained at checkpoint {checkpointId}; resume it with ResumeAsync.",
        GraphRunStatus.Waiting => $"The run of thread '{threadId}' is waiting at checkpoint {checkpointId} until {WakeAtOf(interrupts):O} ({string.Join(", ", interrupts.Select(i => i.Id))}); resume it with ResumeAsync then.",
        _ => $"The run of thread '{threadId}' was interrupted at checkpoint {checkpointId} ({string.Join(", ", interrupts.Select(i => i.Id))}); resume it with ResumeAsync.",
    };
}
