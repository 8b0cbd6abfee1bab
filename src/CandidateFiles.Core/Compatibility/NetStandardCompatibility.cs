// The netstandard2.0 build (for .NET Framework 4.6.2+) compiles the same sources as the net10.0 build.
// What the Polyfill package does not cover is shimmed here, in one file, so the rest of Core keeps
// using the .NET 10 APIs unchanged (docs/target-frameworks.md). On net10.0 only the two base classes
// (which add nothing) and HttpRequestExceptions exist. The shims of .NET types are [Embedded]: invisible
// to the assemblies Core grants InternalsVisibleTo, which load .NET 10's own.
#pragma warning disable CA1812, CA1815, CA1822, CA1034, CA1716, CA1000, IDE0130 // shims mirror the .NET types they stand in for
using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace CandidateFiles
{
    /// <summary>
    /// A <see cref="Stream"/> whose Span and Memory overloads can be overridden on every target: .NET Core 2.1+ declares
    /// them on Stream; for netstandard2.0 they are declared here over the array overloads, as Polyfill's extensions do.
    /// </summary>
    internal abstract class CompatibleStream : Stream
    {
#if !NET
        public virtual int Read(Span<byte> buffer) => Polyfill.Read(this, buffer);

        public virtual ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Polyfill.ReadAsync(this, buffer, cancellationToken);

        public virtual ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            => Polyfill.WriteAsync(this, buffer, cancellationToken);
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
            public HttpStatusCode? StatusCode => RuntimeStatusCode?.GetValue(exception) as HttpStatusCode?;

            /// <summary>The runtime's value where it has one (this build running on .NET 8+), else Unknown (.NET Framework).</summary>
            public HttpRequestError HttpRequestError
                => RuntimeError?.GetValue(exception) is { } error ? (HttpRequestError)Convert.ToInt32(error, System.Globalization.CultureInfo.InvariantCulture) : HttpRequestError.Unknown;
        }

        private static readonly System.Reflection.PropertyInfo? RuntimeStatusCode = typeof(HttpRequestException).GetProperty("StatusCode");

        private static readonly System.Reflection.PropertyInfo? RuntimeError = typeof(HttpRequestException).GetProperty("HttpRequestError");

        extension(System.Net.Http.Headers.HttpHeaders headers)
        {
            /// <summary>.NET Framework has no unvalidated view: this reads the headers as parsed.</summary>
            public HttpHeadersNonValidated NonValidated => new(headers);
        }

        extension(HttpRequestMessage request)
        {
            /// <summary>HttpRequestMessage.Options (.NET 5+) over the Properties bag .NET Framework has.</summary>
            public System.Net.Http.HttpRequestOptions Options => new(request.Properties);
        }
    }
#endif
}

#if !NET
namespace System.Net.Http
{
    /// <summary>.NET 8's error kinds of an HttpRequestException, for netstandard2.0 (where it is always Unknown).</summary>
    [Microsoft.CodeAnalysis.Embedded]
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
    [Microsoft.CodeAnalysis.Embedded]
    internal sealed class SocketsHttpHandler : HttpClientHandler
    {
        public TimeSpan PooledConnectionLifetime { get; set; } = Timeout.InfiniteTimeSpan;
    }

    /// <summary>A header's values as one object (.NET 6's HeaderStringValues): enumerable, and joined by ", " as text.</summary>
    [Microsoft.CodeAnalysis.Embedded]
    internal readonly struct HeaderStringValues(IEnumerable<string> values) : IEnumerable<string>
    {
        public int Count => values.Count();

        public IEnumerator<string> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => string.Join(", ", values);
    }

    /// <summary>.NET 6's HttpHeadersNonValidated, for netstandard2.0: over the headers as .NET Framework parsed them.</summary>
    [Microsoft.CodeAnalysis.Embedded]
    internal readonly struct HttpHeadersNonValidated(System.Net.Http.Headers.HttpHeaders headers) : IEnumerable<KeyValuePair<string, HeaderStringValues>>
    {
        public bool TryGetValues(string headerName, out HeaderStringValues values)
        {
            var found = headers.TryGetValues(headerName, out var raw);
            values = new HeaderStringValues(found ? raw : []);
            return found;
        }

        public IEnumerator<KeyValuePair<string, HeaderStringValues>> GetEnumerator()
            => headers.Select(header => new KeyValuePair<string, HeaderStringValues>(header.Key, new HeaderStringValues(header.Value))).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>The .NET 5+ type of the same name, for netstandard2.0 (keys of <see cref="HttpRequestOptions"/>).</summary>
    internal readonly struct HttpRequestOptionsKey<TValue>(string key)
    {
        public string Key { get; } = key;
    }

    /// <summary>The .NET 5+ typed view of a request's property bag, for netstandard2.0.</summary>
    internal readonly struct HttpRequestOptions(IDictionary<string, object?> properties)
    {
        public void Set<TValue>(HttpRequestOptionsKey<TValue> key, TValue value) => properties[key.Key] = value;

        public bool TryGetValue<TValue>(HttpRequestOptionsKey<TValue> key, [MaybeNullWhen(false)] out TValue value)
        {
            if (properties.TryGetValue(key.Key, out var stored) && stored is TValue typed)
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
    [Microsoft.CodeAnalysis.Embedded]
    internal sealed class HttpMetricsEnrichmentContext
    {
        private HttpMetricsEnrichmentContext()
        {
        }

        public static void AddCallback(HttpRequestMessage request, Action<HttpMetricsEnrichmentContext> callback)
        {
        }

        public void AddCustomTag(string name, object? value)
        {
        }
    }
}

namespace System.Text
{
    /// <summary>The part of .NET Core 3.0's Rune that Core uses: one Unicode scalar value.</summary>
    [Microsoft.CodeAnalysis.Embedded]
    internal readonly struct Rune(int value)
    {
        public int Value { get; } = value;

        public override string ToString() => char.ConvertFromUtf32(Value);
    }

    [Microsoft.CodeAnalysis.Embedded]
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
