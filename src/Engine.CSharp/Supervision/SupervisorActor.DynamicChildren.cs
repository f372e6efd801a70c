using Graph.Engine.Actors;

namespace Graph.Engine.Supervision;

// The supervisor's dynamic children on its loop (OTP's start_child, terminate_child, restart_child, delete_child, which_children, count_children).
internal sealed partial class SupervisorActor
{
    // ---- Dynamic children (OTP's start_child, terminate_child, restart_child, delete_child, which_children, count_children). ----

    private async Task HandleStartChildAsync(StartChildCommand command)
    {
        if (Find(command.Spec.Id) is { } existing)
        {
            command.Reply.Fail(new ArgumentException($"Supervisor '{Path}' already has a child '{existing.Id}' ({(existing.Ref is null ? "present" : "started")})."));
            return;
        }

        var entry = new ChildEntry(command.Spec);
        AddEntry(entry);
        ActorRef? started;
        try
        {
            started = await StartEntryAsync(entry).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            RemoveEntry(entry);
            command.Reply.Fail(new ChildStartException(Path, entry.Id, exception));
            return;
        }

        DropIfIgnoredTemporary(entry);
        command.Reply.Reply(started);
    }

    private async Task HandleTerminateAsync(TerminateChildCommand command)
    {
        if (Find(command.Id) is not { } entry)
        {
            command.Reply.Fail(new KeyNotFoundException($"Supervisor '{Path}' has no child '{command.Id}'."));
            return;
        }

        entry.Restarting = false;
        await StopChildAsync(entry, _closed.Token).ConfigureAwait(false);
        if (entry.Spec.Restart == RestartType.Temporary)
        {
            RemoveEntry(entry);
        }

        command.Reply.Reply(true);
    }

    private async Task HandleRestartChildAsync(RestartChildCommand command)
    {
        if (Find(command.Id) is not { } entry)
        {
            command.Reply.Fail(new KeyNotFoundException($"Supervisor '{Path}' has no child '{command.Id}'."));
            return;
        }

        if (entry.Ref is not null || entry.Restarting)
        {
            command.Reply.Fail(new InvalidOperationException($"Child '{command.Id}' of supervisor '{Path}' is {(entry.Restarting ? "restarting" : "running")}."));
            return;
        }

        ActorRef? started;
        try
        {
            started = await StartEntryAsync(entry).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            command.Reply.Fail(new ChildStartException(Path, entry.Id, exception));
            return;
        }

        command.Reply.Reply(started);
    }

    private Task HandleDelete(DeleteChildCommand command)
    {
        if (Find(command.Id) is not { } entry)
        {
            command.Reply.Fail(new KeyNotFoundException($"Supervisor '{Path}' has no child '{command.Id}'."));
        }
        else if (entry.Ref is not null || entry.Restarting)
        {
            command.Reply.Fail(new InvalidOperationException($"Child '{command.Id}' of supervisor '{Path}' is {(entry.Restarting ? "restarting" : "running")}; terminate it first."));
        }
        else
        {
            RemoveEntry(entry);
            command.Reply.Reply(true);
        }

        return Task.CompletedTask;
    }

    private Task HandleGetChildSpec(GetChildSpecCommand command)
    {
        if (Find(command.Id) is { } entry)
        {
            command.Reply.Reply(entry.Spec);
        }
        else
        {
            command.Reply.Fail(new KeyNotFoundException($"Supervisor '{Path}' has no child '{command.Id}'."));
        }

        return Task.CompletedTask;
    }

    private Task HandleWhich(WhichChildrenCommand command)
    {
        command.Reply.Reply([.. _children.Select(c => new ChildInfo(c.Id, c.Ref, c.Spec.Kind, c.Spec.Restart, c.Spec.MessageType, c.Restarting))]);

        return Task.CompletedTask;
    }

    private Task HandleCount(CountChildrenCommand command)
    {
        command.Reply.Reply(new ChildCounts(
            _children.Count,
            _children.Count(c => c.Ref is not null),
            _children.Count(c => c.Spec.Kind == ChildKind.Supervisor),
            _children.Count(c => c.Spec.Kind == ChildKind.Worker)));

        return Task.CompletedTask;
    }
}
