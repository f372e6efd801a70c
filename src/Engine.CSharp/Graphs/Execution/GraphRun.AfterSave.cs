namespace Graph.Engine.Graphs;

/// <summary>
/// Going on once a step's checkpoint is saved: at once when the put completed synchronously (or there is no
/// store), otherwise after it, unless the run ended meanwhile; a failed put fails the run.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    private void ThenComplete(Task? saved, List<GraphInterrupt> interrupts) => Then(saved, () => Complete(null, interrupts));

    private async Task AdvanceAfterSaveAsync(Task saved, int next)
    {
        try
        {
            await saved.ConfigureAwait(false);
            if (!IsFinished)
            {
                step = next;
                DispatchStep();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }

    /// <summary>Runs <paramref name="action"/> once <paramref name="saved"/> (a synchronous put) has completed.</summary>
    private void Then(Task? saved, Action action)
    {
        if (saved is null || saved.IsCompletedSuccessfully)
        {
            action();
            return;
        }

        _ = ThenAsync(saved, action);
    }

    private async Task ThenAsync(Task saved, Action action)
    {
        try
        {
            await saved.ConfigureAwait(false);
            if (!IsFinished)
            {
                action();
            }
        }
        catch (Exception ex)
        {
            Fail(ex);
        }
    }
}
