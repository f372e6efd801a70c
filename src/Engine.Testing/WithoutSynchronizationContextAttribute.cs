using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;

namespace Graph.Engine.Testing;

/// <summary>
/// Runs a test (with its set-up and tear-down) with no <see cref="SynchronizationContext"/>, as a console app or a
/// server request calls the engine. NUnit installs a context of its own around every test, so without this attribute
/// a graph test never takes the path where the calling thread runs the run's steps itself; with it, that path is
/// tested. Put it on a test, a fixture, or a class derived from a fixture to run that fixture's tests a second time.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class WithoutSynchronizationContextAttribute : NUnitAttribute, IWrapSetUpTearDown
{
    /// <summary>Wraps <paramref name="command"/> so that it runs with no synchronization context.</summary>
    /// <param name="command">The test's command, set-up and tear-down included.</param>
    /// <returns>The wrapping command.</returns>
    public TestCommand Wrap(TestCommand command) => new ClearedContextCommand(command);

    private sealed class ClearedContextCommand(TestCommand inner) : DelegatingTestCommand(inner)
    {
        public override TestResult Execute(TestExecutionContext context)
        {
            var previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                return innerCommand.Execute(context);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(previous);
            }
        }
    }
}
