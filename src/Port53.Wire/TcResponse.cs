// Tencent's reply envelope, compiled into the module (bound with Newtonsoft) and into the emulator (System.Text.Json):
// see README.md in this folder.
using System.Collections.Generic;
#if PORT53_EMULATOR
using System.Text.Json.Serialization;

namespace Port53.Emulator.Model
#else
using Newtonsoft.Json;

namespace Port53.Api.Models
#endif
{
    /// <summary>The part every Tencent reply has.</summary>
    internal abstract class TcResponse
    {
        public string RequestId { get; set; }

        /// <summary>Response.Error: present only when the action failed.</summary>
        public TcReplyError Error { get; set; }
    }

    /// <summary>Response.Error of a failed action.</summary>
    internal sealed class TcReplyError
    {
        public string Code { get; set; }
        public string Message { get; set; }
    }

    /// <summary>Tencent's envelope, {"Response": {...}}, for binding a reply straight from its bytes.</summary>
    internal sealed class TcReply<T> where T : TcResponse
    {
        public T Response { get; set; }
    }

    /// <summary>A reply of a paged Describe action: TotalCount and one set whose name differs per action.</summary>
    internal abstract class TcPagedResponse<TItem> : TcResponse
    {
        public long TotalCount { get; set; }

        [JsonIgnore]
        public abstract List<TItem> Items { get; }
    }

    /// <summary>A reply that carries nothing but its RequestId (the write actions).</summary>
    internal sealed class TcEmptyResponse : TcResponse
    {
    }
}
