using System.Collections.Generic;
using Newtonsoft.Json;

namespace Port53.Api.Models
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
