using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading.Channels;

namespace Graph.Engine.Graphs;

/// <summary>
/// The fields of a run that most runs never use: its persistence, thread id, step limit, event stream, timeout,
/// activity, drain token, interrupts and kept failures of a step, resumed claim order, queued asynchronous routes,
/// idle deadlines and a newer run's stop request. A run creates this object when it first needs one of them (see
/// <c>GraphRun.Extras.cs</c>), so a plain run carries one null reference for all of them.
/// </summary>
/// <remarks>Fields, not properties: the run updates some of them in place (<c>ref</c>, compare-and-swap).</remarks>
internal sealed class RunExtras
{
    /// <summary>Where the run's events go (<c>StreamAsync</c>); null when nobody streams.</summary>
    public ChannelWriter<GraphEvent>? EventWriter;

    /// <summary>A durable run's checkpoint work.</summary>
    public RunPersistence? Persistence;

    /// <summary>The run's <see cref="RunOptions.ThreadId"/>.</summary>
    public string? ThreadId;

    /// <summary>The run's <see cref="RunOptions.StepLimit"/>; null: its graph's.</summary>
    public int? StepLimit;

    /// <summary>The run's <see cref="RunOptions.Timeout"/> (the run's marker for none until set).</summary>
    public TimeSpan RunTimeout;

    /// <summary>The registration that ends the run when its timeout fires.</summary>
    public CancellationTokenRegistration CancelRegistration;

    /// <summary>The run's activity, when a listener samples it.</summary>
    public Activity? Activity;

    /// <summary>The run's <see cref="RunOptions.DrainToken"/>.</summary>
    public CancellationToken DrainToken;

    /// <summary>The interrupts raised by the current step's tasks (pushed concurrently, without a lock).</summary>
    public ImmutableStack<(int Index, GraphInterrupt Interrupt)>? StepInterrupts;

    /// <summary>The current step's kept failures under <see cref="BranchFailurePolicy.ContinueOthers"/>.</summary>
    public ImmutableStack<(int Index, NodeFailedException Error)>? StepFailures;

    /// <summary>For a resumed step whose recorded tasks do not run again: the indexes to run, in order.</summary>
    public int[]? ClaimOrder;

    /// <summary>Routes of asynchronous routers not yet applied, in order.</summary>
    public List<(string Source, ValueTask<Route> Route, IReadOnlyList<string>? Declared)>? QueuedRoutes;

    /// <summary>The idle deadlines of the attempts running under <see cref="NodeOptions.IdleTimeout"/>.</summary>
    public ConcurrentDictionary<(int Step, int Index), IdleDeadline>? IdleDeadlines;

    /// <summary>The step a resumed run started from (its step limit counts from there).</summary>
    public int StepBase;

    /// <summary>Set by a newer run on the same thread (<see cref="MultitaskStrategy.Interrupt"/>).</summary>
    public volatile bool StopRequested;

    /// <summary>The number of the run's generated id (0 until drawn; see <c>GraphRun.RunNumber</c>).</summary>
    public long RunNumber;

    /// <summary>
    /// The ticket holding the run's thread (<see cref="ThreadRuns.Ticket"/>), released when the run has ended; or
    /// <see cref="ThreadRuns.Ended"/> once the run has ended before its ticket was attached.
    /// </summary>
    public object? ThreadTicket;
}
