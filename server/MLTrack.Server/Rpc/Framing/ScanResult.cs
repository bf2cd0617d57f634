namespace MLTrack.Server.Rpc.Framing;

/// <summary>What <see cref="LspFrameScanner.Next"/> found at the start of the buffered input.</summary>
internal enum ScanKind
{
    /// <summary>No complete frame yet: drop <see cref="ScanResult.Consumed"/> bytes (skipped garbage) and read more.</summary>
    NeedMore,

    /// <summary>A well-framed body at <see cref="ScanResult.BodyStart"/>; <see cref="ScanResult.Consumed"/> ends after it.</summary>
    Frame,

    /// <summary>A bad frame: answer <see cref="ScanResult.Code"/>/<see cref="ScanResult.Message"/>, drop <see cref="ScanResult.Consumed"/> bytes, go on.</summary>
    Bad,

    /// <summary>The input cannot be resynchronised: the connection must end with an error.</summary>
    Fatal,
}

/// <summary>
/// One step of the scanner. Offsets are relative to the buffer handed to <see cref="LspFrameScanner.Next"/>.
/// For <see cref="ScanKind.Bad"/>, a non-empty body range is a complete JSON value the bad frame carried (its
/// request id, if any, is answered); <see cref="MayStall"/> on <see cref="ScanKind.NeedMore"/> means the bytes
/// held so far can only be a bad frame if nothing more arrives (call again with <c>stalled</c> after a pause).
/// </summary>
internal readonly record struct ScanResult(
    ScanKind Kind,
    int Consumed,
    int BodyStart = 0,
    int BodyLength = 0,
    bool MayStall = false,
    int Code = 0,
    string? Message = null)
{
    public static ScanResult More(int consumed, bool mayStall) => new(ScanKind.NeedMore, consumed, MayStall: mayStall);
}
