using System.Collections.Generic;
using Newtonsoft.Json;

namespace Port53.Api.Models
{
    /// <summary>The part every Tencent reply has.</summary>
    internal abstract class TcResponse
    {
        public string RequestId { get; set; }
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
