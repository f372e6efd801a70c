namespace Graph.Engine.FSharp

open System
open System.Threading.Tasks
open Graph.Engine.Graphs
open Graph.Engine.Supervision

/// How a supervised durable run is restarted (the engine's `RunSupervision` as an F# record; see docs/durability.md).
type RunRestarts =
    { /// The most restarts within `Period` (default 3); one failure more exhausts them.
      MaxRestarts: int
      /// The sliding window of the restart intensity (default 1 minute).
      Period: TimeSpan
      /// The backoff before each restart (default exponential from 1 s to 30 s).
      RestartDelay: RestartDelay
      /// `Interrupt` (default: the thread is left interrupted with a `RunFailure`) or `Fail` (the last failure is raised).
      OnExhausted: RunExhaustedAction }

/// Durable runs as supervised children: a node failure after its retries resumes the thread from its last
/// checkpoint after a delay, within the restart intensity; exhausted, the thread is left interrupted.
[<RequireQualifiedAccess>]
module SupervisedRun =
    /// The engine's defaults.
    let defaults =
        { MaxRestarts = RunSupervision.Default.MaxRestarts
          Period = RunSupervision.Default.Period
          RestartDelay = RunSupervision.Default.RestartDelay
          OnExhausted = RunSupervision.Default.OnExhausted }

    /// The engine's `RunSupervision` for a config.
    let toRunSupervision (restarts: RunRestarts) =
        RunSupervision(
            MaxRestarts = restarts.MaxRestarts,
            Period = restarts.Period,
            RestartDelay = restarts.RestartDelay,
            OnExhausted = restarts.OnExhausted
        )

    /// Starts a new run from `input` (its thread from `config.ThreadId`, required) under `restarts`.
    let runWith (restarts: RunRestarts) (config: RunConfig) (input: 'State) (graph: CompiledGraph<'State, 'Update>) : Task<RunResult<'State>> =
        task {
            let! result = graph.RunSupervisedAsync(input, RunConfig.toRunOptions config, toRunSupervision restarts, config.CancellationToken)
            return RunResult.ofEngine result
        }

    /// Starts a new run from `input` on thread `threadId` under `restarts`.
    let run (restarts: RunRestarts) (threadId: string) (input: 'State) (graph: CompiledGraph<'State, 'Update>) =
        runWith restarts (RunConfig.thread threadId) input graph

    /// Continues thread `threadId` under `restarts`: after a crash (the reload waits the first delay and counts as a
    /// restart), or after an interrupt (at once, with `resumption`).
    let resume (restarts: RunRestarts) (threadId: string) (resumption: Resumption) (graph: CompiledGraph<'State, 'Update>) : Task<RunResult<'State>> =
        task {
            let options = RunConfig.toRunOptions (RunConfig.thread threadId)
            let! result = graph.ResumeSupervisedAsync(threadId, Resumption.toResume resumption, options, toRunSupervision restarts)
            return RunResult.ofEngine result
        }

    /// The failure an interrupt reports when the restarts were exhausted; `None` for any other interrupt.
    let failure (interrupt: Interrupt) : RunFailure option = Interrupt.valueAs<RunFailure> interrupt
