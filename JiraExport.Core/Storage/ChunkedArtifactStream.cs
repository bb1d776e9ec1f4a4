using System.Buffers;

namespace JiraExport.Core.Storage;

/// <summary>
/// A read-only, seekable stream over a file stored in pieces of <c>chunkSize</c> bytes: it holds one piece at a time and
/// fetches a piece only when a read reaches it, so a download keeps one piece in memory and a range reads only its pieces.
/// The piece's buffer is pooled and no larger than the file; dispose the stream to return it.
/// </summary>
public sealed class ChunkedArtifactStream(long length, int chunkSize, Func<int, byte[], CancellationToken, Task<int>> readChunk) : Stream
{
    private byte[]? _buffer;
    private int _bufferedIndex = -1;
    private int _bufferedLength;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_position >= length || destination.Length == 0)
        {
            return 0;
        }

        var index = (int)(_position / chunkSize);
        if (index != _bufferedIndex)
        {
            _buffer ??= ArrayPool<byte>.Shared.Rent((int)Math.Clamp(length, 1, chunkSize));
            _bufferedLength = await readChunk(index, _buffer, cancellationToken);
            _bufferedIndex = index;
        }

        var offset = (int)(_position - ((long)index * chunkSize));
        var count = Math.Min(destination.Length, _bufferedLength - offset);
        if (count <= 0)
        {
            throw new IOException($"The stored file ends at {(long)index * chunkSize + _bufferedLength} bytes, before its recorded length {length}.");
        }

        _buffer.AsMemory(offset, count).CopyTo(destination);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _bufferedIndex = -1;
        }

        base.Dispose(disposing);
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
