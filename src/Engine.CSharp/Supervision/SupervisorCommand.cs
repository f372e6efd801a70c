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

internal sealed class ChildFailedCommand(FailureReport report) : SupervisorCommand
{
    public FailureReport Report { get; } = report;

    public override void Reject(Exception reason) => Report.Complete(RestartDecision.Stop);
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

internal sealed class StartChildCommand(ChildSpec spec, ReplyChannel<ActorRef> reply) : SupervisorRequest<ActorRef>(reply)
{
    public ChildSpec Spec { get; } = spec;
}

internal sealed class TerminateChildCommand(string id, ReplyChannel<bool> reply) : SupervisorRequest<bool>(reply)
{
    public string Id { get; } = id;
}

internal sealed class RestartChildCommand(string id, ReplyChannel<ActorRef> reply) : SupervisorRequest<ActorRef>(reply)
{
    public string Id { get; } = id;
}

internal sealed class DeleteChildCommand(string id, ReplyChannel<bool> reply) : SupervisorRequest<bool>(reply)
{
    public string Id { get; } = id;
}

internal sealed class WhichChildrenCommand(ReplyChannel<IReadOnlyList<ChildInfo>> reply) : SupervisorRequest<IReadOnlyList<ChildInfo>>(reply);

internal sealed class CountChildrenCommand(ReplyChannel<ChildCounts> reply) : SupervisorRequest<ChildCounts>(reply);

/// <summary>What the supervisor answers a failing child, which waits for it on its own loop.</summary>
internal readonly record struct RestartDecision(SupervisorDirective Directive, string ChildId, int Attempt, TimeSpan Delay)
{
    public static RestartDecision Stop => new(SupervisorDirective.Stop, string.Empty, 0, TimeSpan.Zero);

    public static RestartDecision Resume => new(SupervisorDirective.Resume, string.Empty, 0, TimeSpan.Zero);
}

/// <summary>A failure waiting for its supervisor's decision.</summary>
internal sealed class FailureReport(ActorRef child, Exception exception, object? message)
{
    private readonly TaskCompletionSource<RestartDecision> _decision = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ActorRef Child { get; } = child;

    public Exception Exception { get; } = exception;

    public object? Message { get; } = message;

    public Task<RestartDecision> Task => _decision.Task;

    public bool IsDecided => _decision.Task.IsCompleted;

    public void Complete(RestartDecision decision) => _decision.TrySetResult(decision);
}

/// <summary>One child spec and its current actor, owned by the supervisor's loop (a few fields are shared with children's failure paths under <see cref="Sync"/>).</summary>
internal sealed class ChildEntry(ChildSpec spec)
{
    public ChildSpec Spec { get; } = spec;

    public string Id => Spec.Id;

    public object Sync { get; } = new();

    /// <summary>The running actor; read by the stop hook on another thread.</summary>
    public volatile ActorRef? Ref;

    public Supervisor? Supervisor { get; set; }

    /// <summary>The child's failure waiting for a decision (under <see cref="Sync"/>).</summary>
    public FailureReport? Pending { get; set; }

    /// <summary>The supervisor is taking the child's place for a group restart (under <see cref="Sync"/>): a failure now is absorbed.</summary>
    public bool Suspending { get; set; }

    /// <summary>The supervisor decided Stop for a failure: the coming exit is not restarted.</summary>
    public bool ExpectedStop { get; set; }

    /// <summary>Waiting for a restart delay before a re-spawn.</summary>
    public bool Restarting { get; set; }

    public int Attempt { get; set; }

    public long? LastRestart { get; set; }
}

/// <summary>OTP's restart intensity: a sliding window of restart timestamps over all children.</summary>
internal sealed class RestartWindow(int maxRestarts, TimeSpan period, TimeProvider time)
{
    private readonly Queue<long> _restarts = new();

    /// <summary>Records a restart now; false when that makes more than the maximum within the period.</summary>
    public bool TryRecord()
    {
        var now = time.GetTimestamp();
        while (_restarts.Count > 0 && time.GetElapsedTime(_restarts.Peek(), now) >= period)
        {
            _restarts.Dequeue();
        }

        _restarts.Enqueue(now);
        return _restarts.Count <= maxRestarts;
    }
}
