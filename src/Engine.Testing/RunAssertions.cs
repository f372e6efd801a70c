using System.Collections;
using Graph.Engine.Graphs;
using NUnit.Framework;

namespace Graph.Engine.Testing;

/// <summary>
/// Assertions on a <see cref="RunRecord{TState, TUpdate}"/> for NUnit: each fails with an
/// <see cref="AssertionException"/> whose message names the first step where the run and the expectation diverge and
/// shows the run step by step. Values are compared by <see cref="object.Equals(object)"/>, sequences element by element.
/// Each returns the record, so they chain.
/// </summary>
public static class RunAssertions
{
    /// <summary>Asserts the nodes of each step, in planned order: one string per step, node names separated by commas (<c>"a, b"</c>).</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="steps">The expected steps.</param>
    /// <returns>The run.</returns>
    public static RunRecord<TState, TUpdate> ShouldRunSteps<TState, TUpdate>(this RunRecord<TState, TUpdate> run, params string[] steps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(steps);
        for (var i = 0; i < Math.Max(steps.Length, run.Steps.Count); i++)
        {
            var expected = i < steps.Length ? steps[i] : "(no step)";
            var actual = i < run.Steps.Count ? string.Join(", ", run.Steps[i].Nodes) : "(no step)";
            if (Normalize(expected) != actual)
            {
                Fail(run, $"The run diverged at step {i + 1}: expected [{expected}] but it ran [{actual}].");
            }
        }

        return run;
    }

    /// <summary>Asserts that the run finished with <paramref name="expected"/> as its final state.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="expected">The expected final state.</param>
    /// <returns>The run.</returns>
    public static RunRecord<TState, TUpdate> ShouldFinishWith<TState, TUpdate>(this RunRecord<TState, TUpdate> run, TState expected)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.HasFinished)
        {
            Fail(run, $"Expected the run to finish with {ValueText.Format(expected)}, but it ended with {run.Error?.GetType().Name}: {run.Error?.Message}");
        }

        if (!Same(run.FinalState, expected))
        {
            Fail(run, $"Expected the final state {ValueText.Format(expected)} but it was {ValueText.Format(run.FinalState)}.");
        }

        return run;
    }

    /// <summary>Asserts the state after step <paramref name="step"/>.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="step">The step number (1-based).</param>
    /// <param name="expected">The expected state after that step.</param>
    /// <returns>The run.</returns>
    public static RunRecord<TState, TUpdate> ShouldHaveStateAfter<TState, TUpdate>(this RunRecord<TState, TUpdate> run, int step, TState expected)
    {
        ArgumentNullException.ThrowIfNull(run);
        var found = run.Steps.FirstOrDefault(s => s.Step == step);
        if (found is null)
        {
            Fail(run, $"Expected a state after step {step}, but the run has only {run.Steps.Count} finished steps.");
        }
        else if (!Same(found.State, expected))
        {
            Fail(run, $"The run diverged at step {step}: expected the state {ValueText.Format(expected)} but it was {ValueText.Format(found.State)}.");
        }

        return run;
    }

    /// <summary>Asserts the updates of <paramref name="node"/>'s tasks, in step order.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="node">The node name.</param>
    /// <param name="expected">The expected updates.</param>
    /// <returns>The run.</returns>
    public static RunRecord<TState, TUpdate> ShouldHaveUpdates<TState, TUpdate>(this RunRecord<TState, TUpdate> run, string node, params TUpdate[] expected)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(expected);
        var tasks = run.Steps.SelectMany(s => s.Tasks.Where(t => t.Node == node && t.Result.HasUpdate)).ToList();
        for (var i = 0; i < Math.Max(tasks.Count, expected.Length); i++)
        {
            if (i >= tasks.Count || i >= expected.Length || !Same(tasks[i].Result.Update, expected[i]))
            {
                var at = i < tasks.Count ? $"step {tasks[i].Step}" : "the end of the run";
                var actual = i < tasks.Count ? ValueText.Format(tasks[i].Result.Update) : "no more updates";
                var wanted = i < expected.Length ? ValueText.Format(expected[i]) : "no more updates";
                Fail(run, $"Node '{node}' diverged at its update {i + 1} ({at}): expected {wanted} but got {actual}.");
            }
        }

        return run;
    }

    /// <summary>Asserts that the run stopped at an interrupt raised by (or before or after) <paramref name="node"/>.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="node">The node name.</param>
    /// <returns>The interrupt.</returns>
    public static GraphInterrupt ShouldBeInterruptedAt<TState, TUpdate>(this RunRecord<TState, TUpdate> run, string node)
    {
        ArgumentNullException.ThrowIfNull(run);
        var found = run.Interrupts.FirstOrDefault(i => i.Node == node);
        if (found is null)
        {
            var seen = run.Interrupts.Count == 0 ? "no interrupt" : string.Join(", ", run.Interrupts.Select(i => i.Node));
            Fail(run, $"Expected an interrupt at '{node}', but the run had {seen}.");
        }

        return found!;
    }

    /// <summary>Asserts how many checkpoints the run saved.</summary>
    /// <typeparam name="TState">The state type.</typeparam>
    /// <typeparam name="TUpdate">The update type.</typeparam>
    /// <param name="run">The run.</param>
    /// <param name="count">The expected number.</param>
    /// <returns>The run.</returns>
    public static RunRecord<TState, TUpdate> ShouldHaveSavedCheckpoints<TState, TUpdate>(this RunRecord<TState, TUpdate> run, int count)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Checkpoints.Count != count)
        {
            Fail(run, $"Expected {count} checkpoints, but the run saved {run.Checkpoints.Count}: {string.Join(", ", run.Checkpoints.Select(c => $"{c.CheckpointId} ({c.Source}, step {c.Step})"))}.");
        }

        return run;
    }

    /// <summary>Asserts that the run ended with an exception of type <typeparamref name="TException"/> (or derived).</summary>
    /// <typeparam name="TException">The expected exception type.</typeparam>
    /// <param name="run">The run.</param>
    /// <returns>The exception.</returns>
    public static TException ShouldFailWith<TException>(this IRunOutcome run)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Error is TException expected)
        {
            return expected;
        }

        var ended = run.Error is null ? "it finished" : $"it ended with {run.Error.GetType().Name}: {run.Error.Message}";
        throw new AssertionException($"Expected the run to fail with {typeof(TException).Name}, but {ended}.{Environment.NewLine}{run}");
    }

    private static string Normalize(string step) => string.Join(", ", step.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static void Fail<TState, TUpdate>(RunRecord<TState, TUpdate> run, string message) =>
        throw new AssertionException($"{message}{Environment.NewLine}The run:{Environment.NewLine}{run}");

    /// <summary>Equal by <see cref="object.Equals(object)"/>, or element by element for two sequences (strings excepted).</summary>
    internal static bool Same(object? a, object? b)
    {
        if (Equals(a, b))
        {
            return true;
        }

        if (a is IEnumerable x && b is IEnumerable y && a is not string && b is not string)
        {
            var left = x.Cast<object?>().ToList();
            var right = y.Cast<object?>().ToList();
            return left.Count == right.Count && left.Zip(right).All(p => Same(p.First, p.Second));
        }

        return false;
    }
}
