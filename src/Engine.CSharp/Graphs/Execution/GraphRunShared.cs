using Microsoft.Extensions.Logging;

namespace Graph.Engine.Graphs;

/// <summary>
/// What the runs of one compiled graph share: its model, executor, compile options, logger, static interrupts and the groups of runs by caller's token.
/// One object per compiled graph (a run whose <see cref="RunOptions"/> name their own interrupts gets its own copy,
/// <see cref="For"/>), so a run holds one reference for all of them.
/// </summary>
internal sealed class GraphRunShared<TState, TUpdate>
{
    public GraphRunShared(
        GraphModel<TState, TUpdate> model,
        ITaskExecutor<TState, TUpdate> executor,
        GraphCompileOptions options,
        ILogger logger,
        IReadOnlyList<string> interruptBefore,
        IReadOnlyList<string> interruptAfter,
        CallerTokens<TState, TUpdate>? callerTokens = null)
    {
        CallerTokens = callerTokens ?? new();
        Model = model;
        Executor = executor;
        Options = options;
        Logger = logger;
        InterruptBefore = interruptBefore;
        InterruptAfter = interruptAfter;
    }

    public GraphModel<TState, TUpdate> Model { get; }

    public ITaskExecutor<TState, TUpdate> Executor { get; }

    public GraphCompileOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>The graph's groups of runs by caller's token (one registration per shared token and core stripe).</summary>
    public CallerTokens<TState, TUpdate> CallerTokens { get; }

    /// <summary>The nodes the run stops before (the run's own list, else the compiled one).</summary>
    public IReadOnlyList<string> InterruptBefore { get; }

    /// <summary>The nodes the run stops after (the run's own list, else the compiled one).</summary>
    public IReadOnlyList<string> InterruptAfter { get; }

    /// <summary>This object, or a copy with the run's own interrupts when <paramref name="runOptions"/> name any.</summary>
    public GraphRunShared<TState, TUpdate> For(RunOptions? runOptions) =>
        runOptions is null || (runOptions.InterruptBefore is null && runOptions.InterruptAfter is null)
            ? this
            : new(Model, Executor, Options, Logger, runOptions.InterruptBefore ?? InterruptBefore, runOptions.InterruptAfter ?? InterruptAfter, CallerTokens);
}
