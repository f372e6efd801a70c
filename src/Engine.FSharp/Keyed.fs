namespace Graph.Engine.FSharp

open Graph.Engine.Graphs

/// F# access to the engine's keyed (LangGraph-style) state: use with `keyedState schema` in `stateGraph { }`.
[<RequireQualifiedAccess>]
module Keyed =
    /// An update writing `value` to `key`.
    let set (key: string) (value: 'T) = KeyedUpdate.Of(key, box value)

    /// `update` plus a write of `value` to `key`.
    let andSet (key: string) (value: 'T) (update: KeyedUpdate) = update.Set(key, box value)

    /// An update replacing `key` (a topic's whole list) with `value`, bypassing its reducer.
    let overwrite (key: string) (value: 'T) = KeyedUpdate.Empty.Overwrite(key, box value)

    /// The value of `key`, or `None` when the key holds no value yet.
    let get<'T> (key: string) (state: KeyedState) : 'T option =
        match state.Values.TryGetValue key with
        | true, null -> None
        | true, _ -> Some(state.Get<'T> key)
        | false, _ -> None
