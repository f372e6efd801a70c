using System.Collections.Concurrent;
using Graph.Engine.Actors;
using Graph.Engine.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graph.Engine.Supervision;

/// <summary>
/// One incarnation of a supervisor. Every decision runs on the supervisor's own loop (one command at a time);
/// children report through <see cref="IChildFailureHandler"/> by posting a command and, for a failure, waiting
/// on their own loop for the answer. A restart of the supervisor itself creates a fresh incarnation, which
/// starts the children again (OTP: a restarted supervisor has fresh state).
/// </summary>
internal sealed partial class SupervisorActor : IActor<SupervisorCommand>, IChildFailureHandler, IAsyncDisposable
{
    private readonly Supervisor _place;
    private readonly object _sync = new();
    private readonly List<ChildEntry> _children = [];
    private readonly ConcurrentDictionary<ActorRef, ChildEntry> _byRef = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<FailureReport, byte> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly RestartWindow _window;
    private bool _initialized;
    private Task? _closing;
    private ILogger? _log;

    public SupervisorActor(Supervisor place)
    {
        _place = place;
        _window = new RestartWindow(place.Options.MaxRestarts, place.Options.Period, place.System.TimeProvider);
    }

    private SupervisorOptions Options => _place.Options;

    private ActorSystem System => _place.System;

    private TimeProvider Time => System.TimeProvider;

    private string Path => _place.Path;

    /// <summary>True once this incarnation closes or the supervisor's actor stops: nothing is started any more.</summary>
    private bool IsStopping => _closed.IsCancellationRequested || !_place.Cell.IsAccepting;

    public async ValueTask ReceiveAsync(SupervisorCommand command, ActorContext context)
    {
        if (_closed.IsCancellationRequested)
        {
            command.Reject(new InvalidOperationException($"Supervisor '{Path}' is stopping."));
            return;
        }

        try
        {
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

    // ---- The loop's side. ----

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
                started.Add(entry);
            }
            catch (Exception exception)
            {
                RemoveEntry(entry);
                for (var i = started.Count - 1; i >= 0; i--)
                {
                    await StopChildAsync(started[i]).ConfigureAwait(false);
                    RemoveEntry(started[i]);
                }

                throw new ChildStartException(Path, spec.Id, exception);
            }
        }
    }

    private Task HandleAsync(SupervisorCommand command) => command switch
    {
        ChildFailedCommand failed => HandleFailureAsync(failed.Report),
        ChildStoppedCommand stopped => HandleStoppedAsync(stopped),
        RespawnDueCommand due => HandleRespawnDueAsync(due),
        RetryRestartCommand retry => HandleRetryAsync(retry),
        StartChildCommand start => HandleStartChildAsync(start),
        TerminateChildCommand terminate => HandleTerminateAsync(terminate),
        RestartChildCommand restart => HandleRestartChildAsync(restart),
        DeleteChildCommand delete => HandleDelete(delete),
        WhichChildrenCommand which => HandleWhich(which),
        CountChildrenCommand count => HandleCount(count),
        _ => Task.CompletedTask,
    };

    private ChildEntry? Find(string id)
    {
        lock (_sync)
        {
            return _children.Find(c => c.Id == id);
        }
    }

    private bool Contains(ChildEntry entry)
    {
        lock (_sync)
        {
            return _children.Contains(entry);
        }
    }

    private void AddEntry(ChildEntry entry)
    {
        lock (_sync)
        {
            _children.Add(entry);
        }
    }

    private void RemoveEntry(ChildEntry entry)
    {
        lock (_sync)
        {
            _children.Remove(entry);
        }
    }

    private DateTimeOffset Now => Time.GetUtcNow();

    private void Publish(ActorEvent actorEvent) => System.PublishEvent(actorEvent);
}
