using Microsoft.Extensions.ObjectPool;

namespace Graph.Engine.Graphs;

/// <summary>
/// A run's working buffers: the step's tasks and their results, ids, recorded flags and resume values (what a run
/// holds while its tasks run; the planner's lists are lent per planning, <see cref="StepScratch{TState, TUpdate}"/>).
/// One slot per task, grown by a wide step; pooled per compiled graph (<see cref="Pool"/>), so a run that ends
/// cleanly without persistence hands them to the next.
/// </summary>
internal sealed class RunBuffers<TState, TUpdate>
{
    private string[]? taskIds;
    private bool[]? done;
    private IReadOnlyList<object?>?[]? resumeValues;

    public RunBuffers()
    {
        const int width = 1; // grown by the first wide step; the pool keeps the grown buffers
        Tasks = new(width);
        Results = new NodeResult<TUpdate>[width];
    }

    public List<PlannedTask<TState, TUpdate>> Tasks { get; }

    public NodeResult<TUpdate>[] Results { get; private set; }

    /// <summary>The tasks' ids (persistence and interrupts only: created on first use).</summary>
    public string[] TaskIds => taskIds ??= new string[Results.Length];

    /// <summary>Per task, whether its result is recorded (a resumed step only: created on first use, see <see cref="Unrecorded"/>).</summary>
    public bool[] Done => done ??= new bool[Results.Length];

    /// <summary>How many of the step's first <paramref name="count"/> tasks have no recorded result (all, unless resumed).</summary>
    public int Unrecorded(int count)
    {
        if (done is null)
        {
            return count;
        }

        var unrecorded = 0;
        for (var i = 0; i < count; i++)
        {
            if (!done[i])
            {
                unrecorded++;
            }
        }

        return unrecorded;
    }

    /// <summary>Per task, the values it resumes with (persistence only: created on first use).</summary>
    public IReadOnlyList<object?>?[] ResumeValues => resumeValues ??= new IReadOnlyList<object?>?[Results.Length];

    /// <summary>Makes room for a step of <paramref name="count"/> tasks (results are not kept across a step).</summary>
    public void EnsureCapacity(int count)
    {
        if (Results.Length < count)
        {
            var size = Math.Max(count, Results.Length * 2);
            Results = new NodeResult<TUpdate>[size];
            if (taskIds is not null)
            {
                Array.Resize(ref taskIds, size);
            }

            if (done is not null)
            {
                Array.Resize(ref done, size);
            }

            if (resumeValues is not null)
            {
                Array.Resize(ref resumeValues, size);
            }
        }
    }

    /// <summary>Clears what a finished run left (no state is kept alive by the pool).</summary>
    private void Clear()
    {
        Tasks.Clear();
        Array.Clear(Results);
        if (taskIds is not null)
        {
            Array.Clear(taskIds);
        }

        if (done is not null)
        {
            Array.Clear(done);
        }

        if (resumeValues is not null)
        {
            Array.Clear(resumeValues);
        }
    }

    /// <summary>The pool of one compiled graph's buffers, keeping enough for the runs a busy machine finishes at once.</summary>
    public sealed class Pool
    {
        private readonly DefaultObjectPool<RunBuffers<TState, TUpdate>> pool = new(new Policy(), 16 * Environment.ProcessorCount);

        public RunBuffers<TState, TUpdate> Rent() => pool.Get();

        /// <summary>Takes back the buffers of a run that ended with no task running (cleared first: no state is kept alive).</summary>
        public void Return(RunBuffers<TState, TUpdate> buffers) => pool.Return(buffers);
    }

    private sealed class Policy : IPooledObjectPolicy<RunBuffers<TState, TUpdate>>
    {
        public RunBuffers<TState, TUpdate> Create() => new();

        public bool Return(RunBuffers<TState, TUpdate> obj)
        {
            obj.Clear();
            return true;
        }
    }
}
