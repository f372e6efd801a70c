namespace Graph.Engine.FSharp

open System
open System.Collections.Generic
open System.Text.Json
open System.Text.Json.Serialization
open Microsoft.FSharp.Reflection

// Why these converters and not FSharp.SystemTextJson: 0.16.6, the version served, writes `Some None` and `Some null`
// as `null` and reads them back as `None` (states holding nested options or null strings would not survive a
// checkpoint), and writes a fieldless case as `{"Case": "Red"}` instead of `"Red"`, which would make checkpoints
// already stored unreadable. Its FSharp.Core floor (4.7.0) would be fine.

/// Type tests shared by the converters.
module internal FSharpTypes =
    let private isGeneric (definition: Type) (t: Type) =
        t.IsGenericType && t.GetGenericTypeDefinition() = definition

    let isOption = isGeneric typedefof<option<_>>
    let isList = isGeneric typedefof<list<_>>
    let isSet = isGeneric typedefof<Set<_>>
    let isMap = isGeneric typedefof<Map<_, _>>

    /// The property name that marks `Some v` when `v` alone would be read as `None`.
    [<Literal>]
    let SomeMarker = "$some"

    let expect (expected: JsonTokenType) (reader: byref<Utf8JsonReader>) (target: Type) =
        if reader.TokenType <> expected then
            raise (JsonException(sprintf "Expected %A for %s but found %A." expected target.FullName reader.TokenType))

/// `None` is `null`; `Some v` is `v`, except that it is `{"$some": v}` when `v` is null or itself an option,
/// so that `Some None`, `Some (Some None)` and `Some null` round-trip.
type internal OptionConverter<'T>() =
    inherit JsonConverter<'T option>()
    let innerIsOption = FSharpTypes.isOption typeof<'T>

    override _.HandleNull = true

    override _.Read(reader: byref<Utf8JsonReader>, _: Type, options: JsonSerializerOptions) =
        match reader.TokenType with
        | JsonTokenType.Null -> None
        | JsonTokenType.StartObject ->
            let mutable peek = reader
            let wrapped =
                peek.Read() && peek.TokenType = JsonTokenType.PropertyName && peek.ValueTextEquals(FSharpTypes.SomeMarker)
            if wrapped then
                reader.Read() |> ignore
                reader.Read() |> ignore
                let value = JsonSerializer.Deserialize<'T>(&reader, options)
                reader.Read() |> ignore
                FSharpTypes.expect JsonTokenType.EndObject &reader typeof<'T option>
                Some value
            elif innerIsOption then
                raise (JsonException(sprintf "Expected null or {\"%s\": ...} for %s." FSharpTypes.SomeMarker typeof<'T option>.FullName))
            else
                Some(JsonSerializer.Deserialize<'T>(&reader, options))
        | _ when innerIsOption ->
            raise (JsonException(sprintf "Expected null or {\"%s\": ...} for %s." FSharpTypes.SomeMarker typeof<'T option>.FullName))
        | _ -> Some(JsonSerializer.Deserialize<'T>(&reader, options))

    override _.Write(writer: Utf8JsonWriter, value: 'T option, options: JsonSerializerOptions) =
        match value with
        | None -> writer.WriteNullValue()
        | Some inner when innerIsOption || isNull (box inner) ->
            writer.WriteStartObject()
            writer.WritePropertyName FSharpTypes.SomeMarker
            JsonSerializer.Serialize<'T>(writer, inner, options)
            writer.WriteEndObject()
        | Some inner -> JsonSerializer.Serialize<'T>(writer, inner, options)

/// An F# list is a JSON array.
type internal ListConverter<'T>() =
    inherit JsonConverter<'T list>()

    override _.Read(reader: byref<Utf8JsonReader>, _: Type, options: JsonSerializerOptions) =
        FSharpTypes.expect JsonTokenType.StartArray &reader typeof<'T list>
        let items = ResizeArray<'T>()
        while reader.Read() && reader.TokenType <> JsonTokenType.EndArray do
            items.Add(JsonSerializer.Deserialize<'T>(&reader, options))
        List.ofSeq items

    override _.Write(writer: Utf8JsonWriter, value: 'T list, options: JsonSerializerOptions) =
        writer.WriteStartArray()
        for item in value do
            JsonSerializer.Serialize<'T>(writer, item, options)
        writer.WriteEndArray()

/// An F# set is a JSON array in the set's order.
type internal SetConverter<'T when 'T: comparison>() =
    inherit JsonConverter<Set<'T>>()

    override _.Read(reader: byref<Utf8JsonReader>, _: Type, options: JsonSerializerOptions) =
        FSharpTypes.expect JsonTokenType.StartArray &reader typeof<Set<'T>>
        let items = ResizeArray<'T>()
        while reader.Read() && reader.TokenType <> JsonTokenType.EndArray do
            items.Add(JsonSerializer.Deserialize<'T>(&reader, options))
        Set.ofSeq items

    override _.Write(writer: Utf8JsonWriter, value: Set<'T>, options: JsonSerializerOptions) =
        writer.WriteStartArray()
        for item in value do
            JsonSerializer.Serialize<'T>(writer, item, options)
        writer.WriteEndArray()

/// A map with string keys is a JSON object; any other map is an array of `[key, value]` pairs.
type internal MapConverter<'K, 'V when 'K: comparison>() =
    inherit JsonConverter<Map<'K, 'V>>()
    let stringKeys = typeof<'K> = typeof<string>

    override _.Read(reader: byref<Utf8JsonReader>, _: Type, options: JsonSerializerOptions) =
        let pairs = ResizeArray<'K * 'V>()
        if stringKeys then
            FSharpTypes.expect JsonTokenType.StartObject &reader typeof<Map<'K, 'V>>
            while reader.Read() && reader.TokenType <> JsonTokenType.EndObject do
                let key = reader.GetString()
                reader.Read() |> ignore
                pairs.Add(unbox<'K> (box key), JsonSerializer.Deserialize<'V>(&reader, options))
        else
            FSharpTypes.expect JsonTokenType.StartArray &reader typeof<Map<'K, 'V>>
            while reader.Read() && reader.TokenType <> JsonTokenType.EndArray do
                FSharpTypes.expect JsonTokenType.StartArray &reader typeof<Map<'K, 'V>>
                reader.Read() |> ignore
                let key = JsonSerializer.Deserialize<'K>(&reader, options)
                reader.Read() |> ignore
                let value = JsonSerializer.Deserialize<'V>(&reader, options)
                reader.Read() |> ignore
                FSharpTypes.expect JsonTokenType.EndArray &reader typeof<Map<'K, 'V>>
                pairs.Add(key, value)
        Map.ofSeq pairs

    override _.Write(writer: Utf8JsonWriter, value: Map<'K, 'V>, options: JsonSerializerOptions) =
        if stringKeys then
            writer.WriteStartObject()
            for KeyValue(key, item) in value do
                match box key with
                | null -> raise (JsonException(sprintf "A %s has a null key, which JSON cannot name." typeof<Map<'K, 'V>>.FullName))
                | name -> writer.WritePropertyName(string name)
                JsonSerializer.Serialize<'V>(writer, item, options)
            writer.WriteEndObject()
        else
            writer.WriteStartArray()
            for KeyValue(key, item) in value do
                writer.WriteStartArray()
                JsonSerializer.Serialize<'K>(writer, key, options)
                JsonSerializer.Serialize<'V>(writer, item, options)
                writer.WriteEndArray()
            writer.WriteEndArray()

/// A fieldless case is its name (`"Red"`); a case with fields is `{"Case": "Circle", "Fields": [1.5]}`.
type internal UnionConverter<'T>() =
    inherit JsonConverter<'T>()
    let cases = FSharpType.GetUnionCases(typeof<'T>, true)
    let tagOf = FSharpValue.PreComputeUnionTagReader(typeof<'T>, true)
    let readers = cases |> Array.map (fun case -> FSharpValue.PreComputeUnionReader(case, true))
    let constructors = cases |> Array.map (fun case -> FSharpValue.PreComputeUnionConstructor(case, true))
    let fieldTypes = cases |> Array.map (fun case -> case.GetFields() |> Array.map (fun field -> field.PropertyType))
    let byName = cases |> Array.map (fun case -> case.Name, case) |> dict

    let find (name: string) =
        match byName.TryGetValue name with
        | true, case -> case
        | _ -> raise (JsonException(sprintf "%s has no case named '%s'." typeof<'T>.FullName name))

    override _.Read(reader: byref<Utf8JsonReader>, _: Type, options: JsonSerializerOptions) =
        match reader.TokenType with
        | JsonTokenType.String ->
            let case = find (reader.GetString())
            if fieldTypes[case.Tag].Length <> 0 then
                raise (JsonException(sprintf "Case '%s' of %s has fields, but only its name was found." case.Name typeof<'T>.FullName))
            constructors[case.Tag] [||] :?> 'T
        | JsonTokenType.StartObject ->
            reader.Read() |> ignore
            if reader.TokenType <> JsonTokenType.PropertyName || not (reader.ValueTextEquals "Case") then
                raise (JsonException(sprintf "Expected the \"Case\" property first in a %s." typeof<'T>.FullName))
            reader.Read() |> ignore
            let case = find (reader.GetString())
            let types = fieldTypes[case.Tag]
            let values = Array.zeroCreate<obj> types.Length
            reader.Read() |> ignore
            if types.Length > 0 then
                if reader.TokenType <> JsonTokenType.PropertyName || not (reader.ValueTextEquals "Fields") then
                    raise (JsonException(sprintf "Expected \"Fields\" after the case name in a %s." typeof<'T>.FullName))
                reader.Read() |> ignore
                FSharpTypes.expect JsonTokenType.StartArray &reader typeof<'T>
                for i in 0 .. types.Length - 1 do
                    reader.Read() |> ignore
                    values[i] <- JsonSerializer.Deserialize(&reader, types[i], options)
                reader.Read() |> ignore
                FSharpTypes.expect JsonTokenType.EndArray &reader typeof<'T>
                reader.Read() |> ignore
            FSharpTypes.expect JsonTokenType.EndObject &reader typeof<'T>
            constructors[case.Tag] values :?> 'T
        | token -> raise (JsonException(sprintf "Expected a case name or object for %s but found %A." typeof<'T>.FullName token))

    override _.Write(writer: Utf8JsonWriter, value: 'T, options: JsonSerializerOptions) =
        let tag = tagOf (box value)
        let types = fieldTypes[tag]
        if types.Length = 0 then
            writer.WriteStringValue cases[tag].Name
        else
            writer.WriteStartObject()
            writer.WriteString("Case", cases[tag].Name)
            writer.WritePropertyName "Fields"
            writer.WriteStartArray()
            let values = readers[tag] (box value)
            for i in 0 .. types.Length - 1 do
                JsonSerializer.Serialize(writer, values[i], types[i], options)
            writer.WriteEndArray()
            writer.WriteEndObject()

/// A record is an object with one property per field (named by the options' naming policy, if any).
/// Unknown properties are skipped; a missing option field is `None`; any other missing field is an error.
type internal RecordConverter<'T>() =
    inherit JsonConverter<'T>()
    let fields = FSharpType.GetRecordFields(typeof<'T>, true)
    let construct = FSharpValue.PreComputeRecordConstructor(typeof<'T>, true)
    let read = FSharpValue.PreComputeRecordReader(typeof<'T>, true)

    let nameOf (options: JsonSerializerOptions) (name: string) =
        match options.PropertyNamingPolicy with
        | null -> name
        | policy -> policy.ConvertName name

    let indexOf (options: JsonSerializerOptions) (name: string) =
        let comparison =
            if options.PropertyNameCaseInsensitive then StringComparison.OrdinalIgnoreCase else StringComparison.Ordinal
        fields |> Array.tryFindIndex (fun field -> String.Equals(nameOf options field.Name, name, comparison))

    override _.Read(reader: byref<Utf8JsonReader>, _: Type, options: JsonSerializerOptions) =
        FSharpTypes.expect JsonTokenType.StartObject &reader typeof<'T>
        let values = Array.zeroCreate<obj> fields.Length
        let seen = Array.zeroCreate<bool> fields.Length
        while reader.Read() && reader.TokenType <> JsonTokenType.EndObject do
            let name = reader.GetString()
            reader.Read() |> ignore
            match indexOf options name with
            | Some i ->
                values[i] <- JsonSerializer.Deserialize(&reader, fields[i].PropertyType, options)
                seen[i] <- true
            | None -> reader.Skip()
        for i in 0 .. fields.Length - 1 do
            if not seen[i] && not (FSharpTypes.isOption fields[i].PropertyType) then
                raise (JsonException(sprintf "The field '%s' of %s is missing." fields[i].Name typeof<'T>.FullName))
        construct values :?> 'T

    override _.Write(writer: Utf8JsonWriter, value: 'T, options: JsonSerializerOptions) =
        let values = read (box value)
        writer.WriteStartObject()
        for i in 0 .. fields.Length - 1 do
            writer.WritePropertyName(nameOf options fields[i].Name)
            JsonSerializer.Serialize(writer, values[i], fields[i].PropertyType, options)
        writer.WriteEndObject()

/// <summary>
/// A System.Text.Json converter factory for F# types: options (nested options included), lists, sets, maps,
/// records and discriminated unions (fieldless cases as <c>"Name"</c>, others as
/// <c>{"Case": "Name", "Fields": [...]}</c>). Add it to any <see cref="JsonSerializerOptions"/>, or use
/// <see cref="FSharpJson.options"/>.
/// </summary>
[<Sealed>]
type FSharpJsonConverterFactory() =
    inherit JsonConverterFactory()

    /// <summary>Whether <paramref name="typeToConvert"/> is an F# option, list, set, map, record or union.</summary>
    override _.CanConvert(typeToConvert: Type) =
        FSharpTypes.isOption typeToConvert
        || FSharpTypes.isList typeToConvert
        || FSharpTypes.isSet typeToConvert
        || FSharpTypes.isMap typeToConvert
        || FSharpType.IsRecord(typeToConvert, true)
        || FSharpType.IsUnion(typeToConvert, true)

    /// <summary>Creates the converter for one F# type.</summary>
    override _.CreateConverter(typeToConvert: Type, _: JsonSerializerOptions) =
        let definition =
            if FSharpTypes.isOption typeToConvert then typedefof<OptionConverter<_>>
            elif FSharpTypes.isList typeToConvert then typedefof<ListConverter<_>>
            elif FSharpTypes.isSet typeToConvert then typedefof<SetConverter<_>>
            elif FSharpTypes.isMap typeToConvert then typedefof<MapConverter<_, _>>
            elif FSharpType.IsRecord(typeToConvert, true) then typedefof<RecordConverter<_>>
            else typedefof<UnionConverter<_>>
        let arguments =
            if definition = typedefof<RecordConverter<_>> || definition = typedefof<UnionConverter<_>> then
                [| typeToConvert |]
            else
                typeToConvert.GetGenericArguments()
        Activator.CreateInstance(definition.MakeGenericType arguments, true) :?> JsonConverter
