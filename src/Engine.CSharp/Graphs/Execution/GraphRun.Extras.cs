using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;

namespace Graph.Engine.Graphs;

/// <summary>
/// The run's rarely used fields (<see cref="RunExtras"/>): one object, created by the first that is set, so a plain
/// run holds one null reference instead of them. Reading one of a run without extras gives its default and creates
/// nothing; so does clearing one.
/// </summary>
internal sealed partial class GraphRun<TState, TUpdate>
{
    private RunExtras? extras;

    /// <summary>The run's extras, created on first use (sibling tasks may race to create them: one wins).</summary>
    private RunExtras Extras
    {
        get
        {
            var current = Volatile.Read(ref extras);
            if (current is not null)
            {
                return current;
            }

            var created = new RunExtras { RunTimeout = NoTimeout };
            return Interlocked.CompareExchange(ref extras, created, null) ?? created;
        }
    }

    /// <summary>The durable run's checkpoint work; null without a checkpointer.</summary>
    private RunPersistence? persistence => extras?.Persistence;

    private ChannelWriter<GraphEvent>? eventWriter => extras?.EventWriter;

    /// <summary>The run's <see cref="RunOptions.StepLimit"/>, else its graph's.</summary>
    private int stepLimit => extras?.StepLimit ?? options.StepLimit;

    /// <summary>The run's <see cref="RunOptions.Timeout"/>; <see cref="NoTimeout"/> when none was given.</summary>
    private TimeSpan runTimeout => extras?.RunTimeout ?? NoTimeout;

    private Activity? activity => extras?.Activity;

    private CancellationToken drainToken => extras?.DrainToken ?? default;

    private bool stopRequested => extras?.StopRequested == true;

    private ImmutableStack<(int Index, GraphInterrupt Interrupt)>? stepInterrupts
    {
        get => extras?.StepInterrupts;
        set
        {
            if (value is not null || extras is not null)
            {
                Extras.StepInterrupts = value;
            }
        }
    }

    private ImmutableStack<(int Index, NodeFailedException Error)>? stepFailures => extras?.StepFailures;

    /// <summary>For a resumed step whose recorded tasks do not run again: the indexes to run, in order; null: all.</summary>
    private int[]? claimOrder
    {
        get => extras?.ClaimOrder;
        set
        {
            if (value is not null || extras is not null)
            {
                Extras.ClaimOrder = value;
            }
        }
    }

    private List<(string Source, ValueTask<Route> Route, IReadOnlyList<string>? Declared)>? queuedRoutes
    {
        get => extras?.QueuedRoutes;
        set
        {
            if (value is not null || extras is not null)
            {
                Extras.QueuedRoutes = value;
            }
        }
    }

    private int stepBase
    {
        get => extras?.StepBase ?? 0;
        set
        {
            if (value != 0 || extras is not null)
            {
                Extras.StepBase = value;
            }
        }
    }
}
