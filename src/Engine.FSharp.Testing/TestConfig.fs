namespace Graph.Engine.FSharp.Testing

open Graph.Engine.Testing

/// How `GraphTest.createWith` sets up a deterministic test.
type TestConfig =
    { /// Chooses the order of a step's tasks; the same seed gives the same run.
      Seed: int
      /// The clock the graph (and the nodes, if they wait on one) use; `None` for a new `SimulatedClock`.
      Clock: SimulatedClock option }

/// Building test configs.
[<RequireQualifiedAccess>]
module TestConfig =
    /// Seed 0 on a new clock.
    let defaults = { Seed = 0; Clock = None }

    /// Seed `seed` on a new clock.
    let seed (seed: int) = { defaults with Seed = seed }
