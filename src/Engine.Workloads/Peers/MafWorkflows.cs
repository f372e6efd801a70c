using Graph.Engine.Workloads.Baselines;
using Microsoft.Agents.AI.Workflows;

namespace Graph.Engine.Workloads.Peers;

/// <summary>
/// The graph workloads on Microsoft Agent Framework Workflows: the same shapes built with its public API
/// (<see cref="WorkflowBuilder"/>, delegate executors, fan-out and fan-in barrier edges), run in process with
/// <see cref="InProcessExecution.Concurrent"/> so one workflow serves concurrent runs.
/// </summary>
/// <remarks>
/// Where the comparison is unfair to MAF: it records every superstep and executor invocation as an event (42 events
/// for a chain10 run) that a run returns, and it has no dynamic <c>Send</c>: mapreduce100's start executor sends
/// 100 messages to one map executor instead. Executors that keep per-run state (the sums) are created per run by a
/// factory, as MAF requires for concurrent runs.
/// </remarks>
public static class MafWorkflows
{
    /// <summary>chainN: n000 -> ... -> n(N-1), each adds 1; the last one's result is the output.</summary>
    /// <param name="length">The number of executors.</param>
    /// <returns>The workflow.</returns>
    public static Workflow Chain(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var nodes = new ExecutorBinding[length];
        for (var i = 0; i < length; i++)
        {
            nodes[i] = new Func<int, int>(static x => x + 1).BindAsExecutor($"n{i:D3}");
        }

        var builder = new WorkflowBuilder(nodes[0]);
        for (var i = 1; i < length; i++)
        {
            builder.AddEdge(nodes[i - 1], nodes[i]);
        }

        return builder.WithOutputFrom(nodes[^1]).Build();
    }

    /// <summary>fanout10-join: src fans out to b0..b9 (each returns 1), a fan-in barrier sums them in join.</summary>
    /// <returns>The workflow; a run from 0 outputs 10.</returns>
    public static Workflow FanoutJoin()
    {
        var source = new Func<int, int>(static x => x).BindAsExecutor("src");
        var branches = new ExecutorBinding[10];
        for (var i = 0; i < branches.Length; i++)
        {
            branches[i] = new Func<int, int>(static _ => 1).BindAsExecutor($"b{i}");
        }

        var join = ExecutorBindingExtensions.BindExecutor((id, _) => ValueTask.FromResult(new SumExecutor(id, branches.Length)), "join");
        return new WorkflowBuilder(source).AddFanOutEdge(source, branches).AddFanInBarrierEdge(branches, join).WithOutputFrom(join).Build();
    }

    /// <summary>mapreduce100: start sends items 0..99 to map (item*2), done sums the 100 results.</summary>
    /// <returns>The workflow; a run outputs 9,900.</returns>
    public static Workflow MapReduce()
    {
        var start = ExecutorBindingExtensions.BindExecutor((_, _) => ValueTask.FromResult(new ItemsExecutor()), ItemsExecutor.Name);
        var map = new Func<int, int>(static x => x * 2).BindAsExecutor("map");
        var done = ExecutorBindingExtensions.BindExecutor((id, _) => ValueTask.FromResult(new SumExecutor(id, ActionBlockMapReduce.Items)), "done");
        return new WorkflowBuilder(start).AddEdge(start, map).AddEdge(map, done).WithOutputFrom(done).Build();
    }

    /// <summary>Runs <paramref name="workflow"/> from <paramref name="input"/> to its end and returns its output.</summary>
    /// <param name="workflow">The workflow.</param>
    /// <param name="input">The input.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The output.</returns>
    /// <exception cref="InvalidOperationException">The run ended without an output (an executor failed).</exception>
    public static async Task<int> RunAsync(Workflow workflow, int input, CancellationToken cancellationToken)
    {
        var run = await InProcessExecution.Concurrent.RunAsync(workflow, input, null, cancellationToken).ConfigureAwait(false);
        await using (run.ConfigureAwait(false))
        {
            foreach (var e in run.NewEvents)
            {
                if (e is WorkflowOutputEvent output)
                {
                    return output.As<int>();
                }

                if (e is ExecutorFailedEvent failed)
                {
                    throw new InvalidOperationException($"MAF executor '{failed.ExecutorId}' failed: {failed.Data}");
                }
            }
        }

        throw new InvalidOperationException("The MAF workflow ended without an output.");
    }

    /// <summary>Sums the ints it receives and outputs the sum once it has the expected number (one instance per run).</summary>
    [YieldsOutput(typeof(int))]
    private sealed class SumExecutor(string id, int expected) : Executor<int>(id)
    {
        private int sum;
        private int count;

        public override ValueTask HandleAsync(int message, IWorkflowContext context, CancellationToken cancellationToken = default)
        {
            sum += message;
            return ++count == expected ? context.YieldOutputAsync(sum, cancellationToken) : default;
        }
    }

    /// <summary>Sends the items 0..99 of mapreduce100 (MAF's stand-in for 100 dynamic sends).</summary>
    [SendsMessage(typeof(int))]
    private sealed class ItemsExecutor() : Executor<int>(Name)
    {
        public const string Name = "start";

        public override async ValueTask HandleAsync(int message, IWorkflowContext context, CancellationToken cancellationToken = default)
        {
            for (var i = 0; i < ActionBlockMapReduce.Items; i++)
            {
                await context.SendMessageAsync(i, null, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
