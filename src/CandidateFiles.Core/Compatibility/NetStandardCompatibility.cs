// The netstandard2.0 build (for .NET Framework 4.6.2+) compiles the same sources as the net10.0 build.
// What the Polyfill package does not cover is shimmed here, in one file, so the rest of Core keeps
// using the .NET 10 APIs unchanged (docs/target-frameworks.md). On net10.0 only the two base classes
// below exist, and they add nothing.
#pragma warning disable CA1812, CA1815, CA1822, CA1034, CA1716, CA1000, IDE0130 // shims mirror the .NET types they stand in for
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.InteropServices;

namespace CandidateFiles
{
    /// <summary>
    /// A <see cref="Stream"/> whose Span and Memory overloads can be overridden on every target:
    /// .NET Core 2.1+ declares them on Stream; for netstandard2.0 they are declared here, routed
    /// through the array overloads the way .NET's own Stream does.
    /// </summary>
    internal abstract class CompatibleStream : Stream
    {
#if !NET
        public virtual int Read(Span<byte> buffer)
        {
            var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                var read = Read(rented, 0, buffer.Length);
                rented.AsSpan(0, read).CopyTo(buffer);
                return read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        public virtual ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (MemoryMarshal.TryGetArray<byte>(buffer, out var array))
            {
                return new ValueTask<int>(ReadAsync(array.Array!, array.Offset, array.Count, cancellationToken));
            }

            return new ValueTask<int>(ReadIntoRentedAsync(buffer, cancellationToken));
        }

        public virtual ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (MemoryMarshal.TryGetArray(buffer, out var array))
            {
                return new ValueTask(WriteAsync(array.Array!, array.Offset, array.Count, cancellationToken));
            }

            return new ValueTask(WriteFromRentedAsync(buffer, cancellationToken));
        }

        private async Task<int> ReadIntoRentedAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                var read = await ReadAsync(rented, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                rented.AsMemory(0, read).CopyTo(buffer);
                return read;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        private async Task WriteFromRentedAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
        {
            var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
            try
            {
                buffer.CopyTo(rented);
                await WriteAsync(rented, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
#endif
    }

    /// <summary>
    /// An <see cref="HttpContent"/> whose cancellable serialize/read overloads (.NET 5+) can be
    /// overridden on every target; for netstandard2.0 they are declared here, and .NET Framework's
    /// HttpClient, which knows only the uncancellable ones, reaches them through the derived class's
    /// override of those.
    /// </summary>
    internal abstract class CompatibleHttpContent : HttpContent
    {
#if !NET
        protected virtual Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
            => SerializeToStreamAsync(stream, context);

        protected virtual Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
            => CreateContentReadStreamAsync();
#endif
    }

    /// <summary>HttpRequestException's .NET 8 constructor; netstandard2.0's has no error kind or status code to keep.</summary>
    internal static class HttpRequestExceptions
    {
        /// <summary>The error kind of a transport failure while reading a body (.NET 8+'s HttpIOException), else Unknown.</summary>
        public static HttpRequestError ErrorOf(System.IO.IOException exception)
#if NET
            => (exception as HttpIOException)?.HttpRequestError ?? HttpRequestError.Unknown;
#else
            => HttpRequestError.Unknown;
#endif

        public static HttpRequestException Create(HttpRequestError error, string? message, Exception? inner, HttpStatusCode? statusCode)
#if NET
            => new(error, message, inner, statusCode);
#else
        {
            // On .NET 8+ (this build loaded by a .NET 8+ app) the runtime has the constructor: keep the error kind and status.
            if (RuntimeConstructor is { } constructor)
            {
                return (HttpRequestException)constructor.Invoke([Enum.ToObject(RuntimeErrorType!, (int)error), message, inner, statusCode]);
            }

            return new(message, inner);
        }

        private static readonly Type? RuntimeErrorType = typeof(HttpRequestException).Assembly.GetType("System.Net.Http.HttpRequestError");

        private static readonly System.Reflection.ConstructorInfo? RuntimeConstructor = RuntimeErrorType is null
            ? null
            : typeof(HttpRequestException).GetConstructor([RuntimeErrorType, typeof(string), typeof(Exception), typeof(HttpStatusCode?)]);
#endif
    }

#if !NET
}

namespace CandidateFiles
{

    /// <summary>.NET Core APIs Core calls that netstandard2.0 lacks, each with .NET's meaning.</summary>
    internal static class NetStandardExtensions
    {
        extension(TimeSpan)
        {
            public static TimeSpan operator *(TimeSpan time, double factor) => TimeSpan.FromTicks((long)Math.Round(time.Ticks * factor));

            public static TimeSpan operator /(TimeSpan time, double divisor) => TimeSpan.FromTicks((long)Math.Round(time.Ticks / divisor));
        }

        extension(Task)
        {
            public static Task Delay(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
                => timeProvider.Delay(delay, cancellationToken);
        }

        extension(HttpMethod)
        {
            /// <summary>.NET 9's HttpMethod.Parse (the generated clients call it); the shared instances for the common methods.</summary>
            public static HttpMethod Parse(string method) => method.ToUpperInvariant() switch
            {
                "GET" => HttpMethod.Get,
                "POST" => HttpMethod.Post,
                "PUT" => HttpMethod.Put,
                "DELETE" => HttpMethod.Delete,
                "HEAD" => HttpMethod.Head,
                "OPTIONS" => HttpMethod.Options,
                "TRACE" => HttpMethod.Trace,
                _ => new HttpMethod(method),
            };
        }

        extension(Task task)
        {
            public bool IsCompletedSuccessfully => task.Status == TaskStatus.RanToCompletion;
        }

        extension(string value)
        {
            /// <summary>The SDK replaces ordinally only, which is what netstandard2.0's two-argument Replace does.</summary>
            public string Replace(string oldValue, string? newValue, StringComparison comparisonType)
                => comparisonType == StringComparison.Ordinal
                    ? value.Replace(oldValue, newValue)
                    : throw new NotSupportedException("Only ordinal replacement is shimmed for netstandard2.0.");
        }

        /// <summary>No reset below .NET 6: the caller makes a new source, as it does after a timer fired.</summary>
        public static bool TryReset(this CancellationTokenSource source) => false;

        extension(HttpRequestException exception)
        {
            /// <summary>The runtime's value where it has one (this build running on .NET 5+), else null (.NET Framework).</summary>
            public HttpStatusCode? StatusCode => HttpRequestExceptionMembers.StatusCode?.GetValue(exception) as HttpStatusCode?;

            /// <summary>The runtime's value where it has one (this build running on .NET 8+), else Unknown (.NET Framework).</summary>
            public HttpRequestError HttpRequestError
                => HttpRequestExceptionMembers.Error?.GetValue(exception) is { } error ? (HttpRequestError)Convert.ToInt32(error, System.Globalization.CultureInfo.InvariantCulture) : HttpRequestError.Unknown;
        }

        private static class HttpRequestExceptionMembers
        {
            public static readonly System.Reflection.PropertyInfo? StatusCode = typeof(HttpRequestException).GetProperty("StatusCode");

            public static readonly System.Reflection.PropertyInfo? Error = typeof(HttpRequestException).GetProperty("HttpRequestError");
        }

        extension(System.Net.Http.Headers.HttpHeaders headers)
        {
            /// <summary>.NET Framework has no unvalidated view: this reads the headers as parsed.</summary>
            public HttpHeadersNonValidated NonValidated => new(headers);
        }
    }

    /// <summary>HttpRequestMessage.Options (.NET 5+) over the Properties bag .NET Framework has.</summary>
    internal static class HttpRequestMessageOptionsExtensions
    {
        extension(HttpRequestMessage request)
        {
            public System.Net.Http.HttpRequestOptions Options => new(request.Properties);
        }
    }
#endif
}

#if !NET
namespace System.Net.Http
{
    /// <summary>.NET 8's error kinds of an HttpRequestException, for netstandard2.0 (where it is always Unknown).</summary>
    [Microsoft.CodeAnalysis.Embedded] // invisible to the assemblies Core grants InternalsVisibleTo (the tests load .NET 10's)
    internal enum HttpRequestError
    {
        Unknown = 0,
        NameResolutionError,
        ConnectionError,
        SecureConnectionError,
        HttpProtocolError,
        ExtendedConnectNotSupported,
        VersionNegotiationError,
        UserAuthenticationError,
        ProxyTunnelError,
        InvalidResponse,
        ResponseEnded,
        ConfigurationLimitExceeded,
    }

    /// <summary>
    /// .NET's transport type name for netstandard2.0: there it is .NET Framework's HttpClientHandler (no
    /// pooled-connection lifetime; .NET Framework's ServicePointManager governs connections).
    /// </summary>
    [Microsoft.CodeAnalysis.Embedded] // invisible to the assemblies Core grants InternalsVisibleTo (the tests load .NET 10's)
    internal sealed class SocketsHttpHandler : HttpClientHandler
    {
        public TimeSpan PooledConnectionLifetime { get; set; } = Timeout.InfiniteTimeSpan;
    }

    /// <summary>A header's values as one object (.NET 6's HeaderStringValues): enumerable, and joined by ", " as text.</summary>
    [Microsoft.CodeAnalysis.Embedded] // invisible to the assemblies Core grants InternalsVisibleTo (the tests load .NET 10's)
    internal readonly struct HeaderStringValues : IEnumerable<string>
    {
        private readonly IEnumerable<string> _values;

        public HeaderStringValues(IEnumerable<string> values) => _values = values;

        public int Count => _values.Count();

        public IEnumerator<string> GetEnumerator() => _values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Join(", ", _values);
    }

    /// <summary>.NET 6's HttpHeadersNonValidated, for netstandard2.0: over the headers as .NET Framework parsed them.</summary>
    [Microsoft.CodeAnalysis.Embedded] // invisible to the assemblies Core grants InternalsVisibleTo (the tests load .NET 10's)
    internal readonly struct HttpHeadersNonValidated : IEnumerable<KeyValuePair<string, HeaderStringValues>>
    {
        private readonly System.Net.Http.Headers.HttpHeaders _headers;

        public HttpHeadersNonValidated(System.Net.Http.Headers.HttpHeaders headers) => _headers = headers;

        public bool Contains(string headerName) => _headers.Contains(headerName);

        public bool TryGetValues(string headerName, out HeaderStringValues values)
        {
            if (_headers.TryGetValues(headerName, out var found))
            {
                values = new HeaderStringValues(found);
                return true;
            }

            values = default;
            return false;
        }

        public IEnumerator<KeyValuePair<string, HeaderStringValues>> GetEnumerator()
            => _headers.Select(header => new KeyValuePair<string, HeaderStringValues>(header.Key, new HeaderStringValues(header.Value))).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The .NET 5+ type of the same name, for netstandard2.0 (keys of <see cref="HttpRequestOptions"/>).</summary>
    internal readonly struct HttpRequestOptionsKey<TValue>
    {
        public HttpRequestOptionsKey(string key) => Key = key;

        public string Key { get; }
    }

    /// <summary>The .NET 5+ typed view of a request's property bag, for netstandard2.0.</summary>
    internal readonly struct HttpRequestOptions
    {
        private readonly IDictionary<string, object?> _properties;

        public HttpRequestOptions(IDictionary<string, object?> properties) => _properties = properties;

        public void Set<TValue>(HttpRequestOptionsKey<TValue> key, TValue value) => _properties[key.Key] = value;

        public bool TryGetValue<TValue>(HttpRequestOptionsKey<TValue> key, [MaybeNullWhen(false)] out TValue value)
        {
            if (_properties.TryGetValue(key.Key, out var stored) && stored is TValue typed)
            {
                value = typed;
                return true;
            }

            value = default;
            return false;
        }
    }
}

namespace System.Net.Http.Metrics
{
    /// <summary>
    /// .NET 8+ enriches HttpClient's own request metrics through this type; .NET Framework's HttpClient
    /// records no metrics, so on netstandard2.0 the callback is dropped (the SDK's own metrics still record).
    /// </summary>
    [Microsoft.CodeAnalysis.Embedded] // invisible to the assemblies Core grants InternalsVisibleTo (the tests load .NET 10's)
    internal sealed class HttpMetricsEnrichmentContext
    {
        private HttpMetricsEnrichmentContext()
        {
        }

        public static void AddCallback(HttpRequestMessage request, Action<HttpMetricsEnrichmentContext> callback)
        {
        }

#pragma warning disable CA1822 // an instance method, as on .NET 8
        public void AddCustomTag(string name, object? value)
        {
        }
#pragma warning restore CA1822
    }
}

namespace System.Text
{
    /// <summary>The part of .NET Core 3.0's Rune that Core uses: one Unicode scalar value.</summary>
    [Microsoft.CodeAnalysis.Embedded] // invisible to the assemblies Core grants InternalsVisibleTo (the tests load .NET 10's)
    internal readonly struct Rune
    {
        public Rune(int value) => Value = value;

        public int Value { get; }

        public override string ToString() => char.ConvertFromUtf32(Value);
    }

    [Microsoft.CodeAnalysis.Embedded] // invisible to the assemblies Core grants InternalsVisibleTo (the tests load .NET 10's)
    internal static class StringRuneExtensions
    {
        /// <summary>The string's scalar values; a lone surrogate becomes U+FFFD, as .NET's EnumerateRunes does.</summary>
        public static IEnumerable<Rune> EnumerateRunes(this string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    yield return new Rune(char.ConvertToUtf32(value[i], value[i + 1]));
                    i++;
                }
                else
                {
                    yield return new Rune(char.IsSurrogate(value[i]) ? 0xFFFD : value[i]);
                }
            }
        }
    }
}

#endif
