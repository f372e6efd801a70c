using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

/// <summary>The control messages a supervisor actor handles, one at a time: every decision is made on its own loop.</summary>
internal abstract class SupervisorCommand
{
    /// <summary>Answers a command the supervisor will not carry out (it is closing).</summary>
    public abstract void Reject(Exception reason);
}

internal abstract class SupervisorRequest<TReply>(ReplyChannel<TReply> reply) : SupervisorCommand
{
    public ReplyChannel<TReply> Reply { get; } = reply;

    public override void Reject(Exception reason) => Reply.Fail(reason);
}

internal sealed class InitCommand(ReplyChannel<bool>? reply) : SupervisorCommand
{
    public ReplyChannel<bool>? Reply { get; } = reply;

    public override void Reject(Exception reason) => Reply?.Fail(reason);
}

/// <summary>A child suspended itself on a failure and waits, one way, for an answer naming <see cref="Failure"/>.</summary>
internal sealed class ChildFailedCommand(ActorRef child, long failure, Exception exception, object? message) : SupervisorCommand
{
    public ActorRef Child { get; } = child;

    public long Failure { get; } = failure;

    public Exception Exception { get; } = exception;

    public object? Message { get; } = message;

    // The close stops the child, which lifts its suspension.
    public override void Reject(Exception reason)
    {
    }
}

internal sealed class ChildStoppedCommand(ActorRef child, StopCause cause, Exception? reason) : SupervisorCommand
{
    public ActorRef Child { get; } = child;

    public StopCause Cause { get; } = cause;

    public Exception? Reason { get; } = reason;

    public override void Reject(Exception reason)
    {
    }
}

/// <summary>The restart delay of a child suspended by its failure has passed (one-for-one in place).</summary>
internal sealed class RestartDueCommand(ChildEntry entry, ActorRef child, long failure, int attempt, TimeSpan delay) : SupervisorCommand
{
    public ChildEntry Entry { get; } = entry;

    public ActorRef Child { get; } = child;

    public long Failure { get; } = failure;

    public int Attempt { get; } = attempt;

    public TimeSpan Delay { get; } = delay;

    public override void Reject(Exception reason)
    {
    }
}

internal sealed class RespawnDueCommand(ChildEntry entry, int attempt, TimeSpan delay) : SupervisorCommand
{
    public ChildEntry Entry { get; } = entry;

    public int Attempt { get; } = attempt;

    public TimeSpan Delay { get; } = delay;

    public override void Reject(Exception reason)
    {
    }
}

internal sealed class RetryRestartCommand(ChildEntry entry, Exception failure) : SupervisorCommand
{
    public ChildEntry Entry { get; } = entry;

    public Exception Failure { get; } = failure;

    public override void Reject(Exception reason)
    {
    }
}

internal sealed class StartChildCommand(ChildSpec spec, ReplyChannel<ActorRef?> reply) : SupervisorRequest<ActorRef?>(reply)
{
    public ChildSpec Spec { get; } = spec;
}

internal sealed class TerminateChildCommand(string id, ReplyChannel<bool> reply) : SupervisorRequest<bool>(reply)
{
    public string Id { get; } = id;
}

internal sealed class RestartChildCommand(string id, ReplyChannel<ActorRef?> reply) : SupervisorRequest<ActorRef?>(reply)
{
    public string Id { get; } = id;
}

internal sealed class DeleteChildCommand(string id, ReplyChannel<bool> reply) : SupervisorRequest<bool>(reply)
{
    public string Id { get; } = id;
}

internal sealed class GetChildSpecCommand(string id, ReplyChannel<ChildSpec> reply) : SupervisorRequest<ChildSpec>(reply)
{
    public string Id { get; } = id;
}

internal sealed class WhichChildrenCommand(ReplyChannel<IReadOnlyList<ChildInfo>> reply) : SupervisorRequest<IReadOnlyList<ChildInfo>>(reply);

internal sealed class CountChildrenCommand(ReplyChannel<ChildCounts> reply) : SupervisorRequest<ChildCounts>(reply);
