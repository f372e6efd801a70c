namespace Graph.Engine.Actors;

/// <summary>
/// The task scheduler of an exclusive actor's queue block: it never runs what is queued to it.
/// </summary>
/// <remarks>
/// The queue is a <see cref="System.Threading.Tasks.Dataflow.BufferBlock{T}"/> that nothing is linked to: the actor's
/// loop takes messages out with <c>TryReceive</c>. Such a block still starts a task to offer its messages to (no)
/// targets each time one is posted after a receive; that task is a <see cref="Task"/> allocation, a thread-pool
/// dispatch and two of the block's locks per message. Parked here, the first such task stays pending for the block's
/// life, and a pending offer task is what keeps the block from starting another, so posting and receiving are all
/// that is left. The block's own <c>Completion</c> then never completes (it waits for that task); the actor signals
/// its mailbox's completion itself, and nothing reads the block's.
/// </remarks>
internal sealed class OfferParkingScheduler : TaskScheduler
{
    /// <summary>The one instance (it holds no state).</summary>
    public static OfferParkingScheduler Instance { get; } = new();

    private OfferParkingScheduler()
    {
    }

    /// <inheritdoc/>
    public override int MaximumConcurrencyLevel => 1;

    /// <inheritdoc/>
    protected override IEnumerable<Task> GetScheduledTasks() => [];

    /// <inheritdoc/>
    protected override void QueueTask(Task task)
    {
    }

    /// <inheritdoc/>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;
}
