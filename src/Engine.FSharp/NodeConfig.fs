namespace Graph.Engine.FSharp

open System
open System.Collections.Generic
open Graph.Engine.Graphs
open Polly

/// Per-node options (the engine's `NodeOptions` as an F# record).
type NodeConfig =
    { /// Tasks of this node running at once across all runs (default `NodeOptions.Auto`: delegate nodes run
      /// concurrently up to the compile option `MaxNodeParallelism`, factory nodes one task at a time per instance;
      /// `NodeOptions.Unbounded` for no limit).
      Parallelism: int
      /// The node actor's mailbox capacity (default 1000).
      MailboxCapacity: int
      /// Retry policy (attempts, backoff, filter); `None` runs each task once.
      Retry: RetryPolicy option
      /// A Polly pipeline instead of `Retry`.
      Pipeline: ResiliencePipeline option
      /// Timeout per attempt.
      Timeout: TimeSpan option
      /// Idle timeout per attempt, pushed back by each `ctx.Heartbeat()`.
      IdleTimeout: TimeSpan option
      /// Cache policy: a task whose input has a fresh cached result skips the node (needs a `nodeCache`).
      Cache: CachePolicy option
      /// Where this node's commands may go (set by `command` nodes).
      Destinations: string list option }

/// Building node options.
[<RequireQualifiedAccess>]
module NodeConfig =
    /// The engine's defaults.
    let defaults =
        { Parallelism = NodeOptions.Default.MaxParallelism
          MailboxCapacity = NodeOptions.Default.MailboxCapacity
          Retry = None
          Pipeline = None
          Timeout = None
          IdleTimeout = None
          Cache = None
          Destinations = None }

    /// The engine's `NodeOptions` for a config.
    let toNodeOptions (config: NodeConfig) =
        NodeOptions(
            MaxParallelism = config.Parallelism,
            MailboxCapacity = config.MailboxCapacity,
            Retry = Option.toObj config.Retry,
            ResiliencePipeline = Option.toObj config.Pipeline,
            Timeout = Option.toNullable config.Timeout,
            IdleTimeout = Option.toNullable config.IdleTimeout,
            Cache = Option.toObj config.Cache,
            Destinations =
                (config.Destinations
                 |> Option.map (fun d -> Array.ofList d :> IReadOnlyList<string>)
                 |> Option.toObj)
        )

/// Building retry policies.
[<RequireQualifiedAccess>]
module Retry =
    /// `attempts` attempts with the engine's default backoff (100 ms, factor 2, cap 10 s, jitter).
    let attempts n = RetryPolicy(MaxAttempts = n)

    /// `attempts` attempts with a fixed delay and no jitter.
    let fixedDelay (delay: TimeSpan) n =
        RetryPolicy(MaxAttempts = n, InitialDelay = delay, BackoffFactor = 1.0, MaxDelay = delay, Jitter = false)

    /// The same policy, retrying only exceptions for which `predicate` holds.
    let onlyWhen (predicate: exn -> bool) (policy: RetryPolicy) =
        // The record's own copy (C# `with`), so every other field is kept, including ones added later.
        let copy = policy.``<Clone>$``()
        copy.GetType().GetProperty(nameof copy.ShouldRetry).SetValue(copy, Func<exn, bool>(predicate))
        copy

/// Building node cache policies (the engine's `CachePolicy`).
[<RequireQualifiedAccess>]
module Cache =
    /// Entries keyed by the whole input (its serialized hash), fresh until cleared.
    let forever = CachePolicy()

    /// Entries keyed by the whole input, fresh for `timeToLive` on the graph's clock.
    let forTime (timeToLive: TimeSpan) = CachePolicy(TimeToLive = Nullable timeToLive)

    /// Entries keyed by `key input` (the input is the state, or a worker's argument), fresh for `timeToLive` (`None`: until cleared).
    let by (key: 'Input -> string) (timeToLive: TimeSpan option) =
        CachePolicy.By<'Input>(Func<'Input, string>(key), Option.toNullable timeToLive)
