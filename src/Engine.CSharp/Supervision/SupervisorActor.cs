using Graph.Engine.Actors;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Supervision;

// Concurrency discipline: the child table (_children, _byRef, each ChildEntry's fields), the restart window and
// _initialized are touched only by the supervisor's loop (one command at a time); no lock. The close (which may
// run beside a command, see CloseAsync) only reads the published view and stops the actors it names. Children never wait for the supervisor: they post ChildFailed/ChildStopped
// commands one way, and the loop answers them with the child's one-way messages (ResumeAfterFailure,
// RestartAfterFailure, StopAfterFailure). Outside readers (Supervisor.GetChild) see the table through _view, an
// immutable array the loop republishes, and each entry's volatile Ref.

/// <summary>
/// One incarnation of a supervisor. Every decision runs on the supervisor's own loop (one command at a time).
/// A restart of the supervisor itself creates a fresh incarnation, which starts the children again (OTP: a
/// restarted supervisor has fresh state).
/// </summary>
internal sealed partial class SupervisorActor : IActor<SupervisorCommand>, IChildSupervisor, IAsyncDisposable
{
    private readonly Supervisor _place;
    private readonly List<ChildEntry> _children = [];
    private readonly Dictionary<ActorRef, ChildEntry> _byRef = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _closeDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RestartWindow _window;
    private ChildEntry[] _view = [];
    private int _closeStarted;
    private bool _initialized;
    private ILogger? _log;

    public SupervisorActor(Supervisor place)
    {
        _place = place;
        _window = new RestartWindow(place.Options.MaxRestarts, place.Options.Period, place.System.TimeProvider);
    }

    /// <summary>The child table as outside readers see it, in start order.</summary>
    public IReadOnlyList<ChildEntry> View => Volatile.Read(ref _view);

    private SupervisorOptions Options => _place.Options;

    private ActorSystem System => _place.System;

    private TimeProvider Time => System.TimeProvider;

    private string Path => _place.Path;

    /// <summary>True once this incarnation closes or the supervisor's actor stops: nothing is started any more.</summary>
    private bool IsStopping => _closed.IsCancellationRequested || !_place.Cell.IsAccepting;

    public async ValueTask ReceiveAsync(SupervisorCommand command, ActorContext context)
    {
        try
        {
            if (_closed.IsCancellationRequested)
            {
                command.Reject(new InvalidOperationException($"Supervisor '{Path}' is stopping."));
                return;
            }

            if (command is InitCommand init)
            {
                await HandleInitAsync(init).ConfigureAwait(false);
                return;
            }

            if (!_initialized)
            {
                await InitAsync().ConfigureAwait(false);
            }

            await HandleAsync(command).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (IsStopping)
        {
            // The supervisor is stopping: whatever was under way is abandoned, and that is not a failure.
            command.Reject(new InvalidOperationException($"Supervisor '{Path}' is stopping."));
        }
    }

    /// <summary>The supervisors' logger (category <see cref="SupervisorLog.Category"/>), created on first use.</summary>
    private ILogger Log => _log ??= System.Options.LoggerFactory.CreateLogger(SupervisorLog.Category);

    private async Task HandleInitAsync(InitCommand init)
    {
        if (_initialized)
        {
            init.Reply?.Reply(true);
            return;
        }

        if (init.Reply is null)
        {
            await InitAsync().ConfigureAwait(false);
            return;
        }

        try
        {
            await InitAsync().ConfigureAwait(false);
            init.Reply.Reply(true);
        }
#pragma warning disable CA1031 // A start failure goes back to whoever started the supervisor.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            init.Reply.Fail(exception);
        }
    }

    private async Task InitAsync()
    {
        _initialized = true;
        var started = new List<ChildEntry>();
        foreach (var spec in _place.Children)
        {
            var entry = new ChildEntry(spec);
            try
            {
                AddEntry(entry);
                await StartEntryAsync(entry).ConfigureAwait(false);
                DropIfIgnoredTemporary(entry);
                started.Add(entry);
            }
            catch (Exception exception)
            {
                RemoveEntry(entry);
                for (var i = started.Count - 1; i >= 0; i--)
                {
                    await StopChildAsync(started[i], _closed.Token).ConfigureAwait(false);
                    RemoveEntry(started[i]);
                }

                throw new ChildStartException(Path, spec.Id, exception);
            }
        }
    }

    private Task HandleAsync(SupervisorCommand command) => command switch
    {
        ChildFailedCommand failed => HandleFailureAsync(failed),
        ChildStoppedCommand stopped => HandleStoppedAsync(stopped),
        RestartDueCommand due => HandleRestartDue(due),
        RespawnDueCommand due => HandleRespawnDueAsync(due),
        RetryRestartCommand retry => HandleRetryAsync(retry),
        StartChildCommand start => HandleStartChildAsync(start),
        TerminateChildCommand terminate => HandleTerminateAsync(terminate),
        RestartChildCommand restart => HandleRestartChildAsync(restart),
        DeleteChildCommand delete => HandleDelete(delete),
        GetChildSpecCommand get => HandleGetChildSpec(get),
        WhichChildrenCommand which => HandleWhich(which),
        CountChildrenCommand count => HandleCount(count),
        _ => Task.CompletedTask,
    };

    private ChildEntry? Find(string id) => _children.Find(c => c.Id == id);

    private bool Contains(ChildEntry entry) => _children.Contains(entry);

    private void AddEntry(ChildEntry entry)
    {
        _closed.Token.ThrowIfCancellationRequested();
        _children.Add(entry);
        Volatile.Write(ref _view, [.. _children]);
    }

    private void RemoveEntry(ChildEntry entry)
    {
        if (_children.Remove(entry))
        {
            Volatile.Write(ref _view, [.. _children]);
        }
    }

    private DateTimeOffset Now => Time.GetUtcNow();

    private void Publish(ActorEvent actorEvent) => System.PublishEvent(actorEvent);
}
