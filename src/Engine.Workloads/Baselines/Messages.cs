namespace Graph.Engine.Workloads.Baselines;

/// <summary>The message of the chain baselines: the counter so far and the run's completion.</summary>
internal readonly record struct ChainHop(int Value, TaskCompletionSource<int>? Done);

/// <summary>The per-run state of the fan-out and map-reduce baselines, mutated only by the join/reduce block.</summary>
internal sealed class JoinRun(int expected)
{
    public int Sum;
    public int Pending = expected;
    public readonly TaskCompletionSource<int> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A value travelling on behalf of a <see cref="JoinRun"/>.</summary>
internal readonly record struct JoinItem(JoinRun Run, int Value);

/// <summary>Counts messages and completes when the expected number has arrived (one consumer thread at a time).</summary>
internal sealed class Countdown
{
    private int remaining;
    private long sum;
    private TaskCompletionSource<long>? done;

    /// <summary>Arms the countdown for the next batch; call only while no message is in flight.</summary>
    public Task<long> Arm(int expected)
    {
        remaining = expected;
        sum = 0;
        var source = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref done, source);
        return source.Task;
    }

    /// <summary>Records one message.</summary>
    public void Signal(int value)
    {
        sum += value;
        if (--remaining == 0)
        {
            Volatile.Read(ref done)!.SetResult(sum);
        }
    }

    /// <summary>The checksum of 0..count-1.</summary>
    public static long ExpectedSum(int count) => (long)count * (count - 1) / 2;
}
