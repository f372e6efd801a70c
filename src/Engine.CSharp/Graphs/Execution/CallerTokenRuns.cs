using System.Diagnostics;

namespace Graph.Engine.Graphs;

/// <summary>
/// The runs of one compiled graph started with one caller's token: one registration on the token for all of them,
/// and the runs in an intrusive doubly linked list (two fields of each run), so a run waiting with a shared token
/// holds no registration node of its own (80 B each). When the token fires, every run in the list is cancelled as
/// its own registration would have cancelled it.
/// </summary>
/// <remarks>
/// One lock (this object's) guards the list, the count and the two flags; it is held for a few field writes only:
/// the cancel takes a copy of the list under it and cancels the runs outside it (a run's cancel runs the callbacks
/// of its own token, user code). A run joins with <see cref="TryAdd"/> from its start and leaves with
/// <see cref="Remove"/> from its single cleanup; a run that joins after the token fired is not in the copy, so it
/// checks the token itself once joined (<c>GraphRun.Begin</c>). A group the graph keeps for its next runs
/// (<see cref="CallerTokenStripe{TState, TUpdate}"/>) stays registered while empty; any other group unregisters when its
/// last run leaves, and is then retired: no run joins it again.
/// </remarks>
[DebuggerDisplay("{Count} runs")]
internal sealed class CallerTokenRuns<TState, TUpdate>
{
    private readonly CallerTokenStripe<TState, TUpdate> owner;
    private CancellationTokenRegistration registration;
    private GraphRun<TState, TUpdate>? head;
    private int count;

    /// <summary>Whether the graph keeps this group for the next runs with its token (it stays registered while empty).</summary>
    private bool kept;

    /// <summary>Unregistered (or about to be): no run joins any more.</summary>
    private bool retired;

    private CallerTokenRuns(CallerTokenStripe<TState, TUpdate> owner, CancellationToken token, bool kept)
    {
        this.owner = owner;
        Token = token;
        this.kept = kept;
    }

    /// <summary>The caller's token the runs share.</summary>
    public CancellationToken Token { get; }

    /// <summary>The runs in the group now.</summary>
    public int Count
    {
        get
        {
            lock (this)
            {
                return count;
            }
        }
    }

    /// <summary>A new group on <paramref name="token"/>, registered before any run can join it (so its registration is set when the last run leaves).</summary>
    /// <param name="owner">The graph's groups (counts the registered ones).</param>
    /// <param name="token">The caller's token (cancellable).</param>
    /// <param name="kept">Whether the graph keeps it for its next runs.</param>
    public static CallerTokenRuns<TState, TUpdate> Create(CallerTokenStripe<TState, TUpdate> owner, CancellationToken token, bool kept)
    {
        var group = new CallerTokenRuns<TState, TUpdate>(owner, token, kept);
        owner.Registered(1);

        // On a token that has already fired the callback runs here, on an empty group; the run that joins next sees
        // the fired token itself.
        group.registration = token.UnsafeRegister(static s => ((CallerTokenRuns<TState, TUpdate>)s!).CancelAll(), group);
        return group;
    }

    /// <summary>Links <paramref name="run"/> into the group (and makes it the run's group); false when the group is retired.</summary>
    public bool TryAdd(GraphRun<TState, TUpdate> run)
    {
        lock (this)
        {
            if (retired)
            {
                return false;
            }

            run.CallerRuns = this; // set before the callback can see the run, so its cleanup always finds the group
            run.NextOnToken = head;
            run.PreviousOnToken = null;
            if (head is not null)
            {
                head.PreviousOnToken = run;
            }

            head = run;
            count++;
            return true;
        }
    }

    /// <summary>Unlinks <paramref name="run"/> (from its cleanup); the last run out of a group the graph does not keep unregisters it.</summary>
    public void Remove(GraphRun<TState, TUpdate> run)
    {
        lock (this)
        {
            var previous = run.PreviousOnToken;
            var next = run.NextOnToken;
            if (previous is null)
            {
                Debug.Assert(ReferenceEquals(head, run), "A run without a previous one is the head of its group.");
                head = next;
            }
            else
            {
                previous.NextOnToken = next;
            }

            if (next is not null)
            {
                next.PreviousOnToken = previous;
            }

            run.PreviousOnToken = null;
            run.NextOnToken = null;
            count--;
            if (count > 0 || kept || retired)
            {
                return;
            }

            retired = true;
        }

        Unregister();
    }

    /// <summary>Retires the group if it is empty (the graph replaces it with a group on another token); false while runs are in it.</summary>
    public bool TryRetireEmpty()
    {
        lock (this)
        {
            if (count > 0)
            {
                return false;
            }

            retired = true;
        }

        Unregister();
        return true;
    }

    /// <summary>The graph no longer keeps the group (it was replaced while in use, or the graph is disposed): it unregisters when empty.</summary>
    public void Release()
    {
        lock (this)
        {
            kept = false;
            if (count > 0 || retired)
            {
                return;
            }

            retired = true;
        }

        Unregister();
    }

    /// <summary>Removes the registration (once: the caller set <see cref="retired"/>); a cancel already running goes on with its copy.</summary>
    private void Unregister()
    {
        registration.Unregister();
        owner.Registered(-1);
        if (!kept)
        {
            owner.Forget(this);
        }
    }

    /// <summary>The token fired: cancels every run in the group (outside the lock: a run's cancel runs its token's callbacks).</summary>
    private void CancelAll()
    {
        GraphRun<TState, TUpdate>[] runs;
        lock (this)
        {
            if (count == 0)
            {
                return;
            }

            runs = new GraphRun<TState, TUpdate>[count];
            var run = head;
            for (var i = 0; i < runs.Length; i++)
            {
                runs[i] = run!;
                run = run!.NextOnToken;
            }
        }

        foreach (var run in runs)
        {
            run.OnCallerCancelled();
        }
    }
}
