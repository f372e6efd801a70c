namespace Graph.Engine.FSharp

open System.Text.Json
open Graph.Engine.Checkpoints

/// JSON serialization of F# states for checkpoints: options and a serializer that round-trip F# records,
/// unions, options (nested too), lists, sets and maps, as well as everything System.Text.Json handles.
[<RequireQualifiedAccess>]
module FSharpJson =
    /// A copy of `baseOptions` with the F# converters added in front of its own.
    let withConverters (baseOptions: JsonSerializerOptions) =
        let copy = JsonSerializerOptions(baseOptions)
        copy.Converters.Insert(0, FSharpJsonConverterFactory())
        copy.NumberHandling <- copy.NumberHandling ||| Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals
        copy.MakeReadOnly(true)
        copy

    /// The System.Text.Json defaults plus the F# converters (frozen).
    let options: JsonSerializerOptions = withConverters (JsonSerializerOptions())

    /// A checkpoint serializer over `options`: pass it to the runner for F# states.
    let serializer: ICheckpointSerializer = JsonCheckpointSerializer(options)

    /// A checkpoint serializer over `withConverters baseOptions`.
    let serializerWith (baseOptions: JsonSerializerOptions) : ICheckpointSerializer =
        JsonCheckpointSerializer(withConverters baseOptions)
