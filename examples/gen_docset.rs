//! Writes a synthetic doc set of N pages in the Microsoft Graph layout, for scaling benchmarks:
//! API pages with permissions tables, requests and responses, resource pages with resource
//! blocks and property tables, includes, and links between them.
//!
//! `cargo run --release --example gen_docset -- 10000 /tmp/docset-10k`

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(count), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: gen_docset PAGES OUT_DIR");
        std::process::exit(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("error: PAGES must be a number, not {count:?}");
        std::process::exit(2);
    };
    if let Err(error) = generate(count, Path::new(&out)) {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn generate(count: usize, out: &Path) -> std::io::Result<()> {
    let api = out.join("api-reference/v1.0/api");
    let resources = out.join("api-reference/v1.0/resources");
    let includes = out.join("api-reference/includes");
    for dir in [&api, &resources, &includes] {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(
        out.join("doclint.toml"),
        "[http]\nbase-urls = [\"https://graph.microsoft.com/v1.0\"]\n\n[links]\nignore = [\"/graph/\"]\n",
    )?;
    std::fs::write(
        includes.join("preview-note.md"),
        "> [!NOTE]\n> This API is in preview.\n",
    )?;
    // Two thirds API pages, one third resource pages, as in Graph.
    let resource_count = (count / 3).max(1);
    for i in 0..count {
        if i % 3 == 2 {
            let r = i / 3;
            std::fs::write(
                resources.join(format!("thing{r}.md")),
                resource_page(r, resource_count),
            )?;
        } else {
            std::fs::write(
                api.join(format!("thing{}-op{}.md", i / 3, i % 3)),
                api_page(i, resource_count),
            )?;
        }
    }
    Ok(())
}

fn api_page(i: usize, resources: usize) -> String {
    let r = (i / 3) % resources;
    let other = (i * 7 + 3) % resources;
    let mut page = String::new();
    let _ = write!(
        page,
        "---\ntitle: \"Get thing{r} operation {i}\"\ndescription: \"Retrieve thing{r}.\"\nauthor: \"docs\"\nms.prod: \"things\"\ndoc_type: apiPageType\n---\n\n\
# Get thing{r} operation {i}\n\n[!INCLUDE [preview](../../includes/preview-note.md)]\n\n\
Retrieve the properties of a [thing{r}](../resources/thing{r}.md) object; see also [thing{other}](../resources/thing{other}.md#properties).\n\n\
## Permissions\n\n| Permission type | Permissions (from least to most privileged) |\n|:---|:---|\n\
| Delegated (work or school account) | Thing.Read, Thing.ReadWrite |\n| Delegated (personal Microsoft account) | Not supported. |\n| Application | Thing.Read.All |\n\n\
## HTTP request\n\n<!-- {{ \"blockType\": \"ignored\" }} -->\n```http\nGET /things/{{id}}\n```\n\n\
## Response\n\nIf successful, this method returns a `200 OK` response code and a thing{r} object in the response body.\n\n\
## Example\n\n### Request\n\n<!-- {{ \"blockType\": \"request\", \"name\": \"get_thing_{i}\" }} -->\n```http\nGET https://graph.microsoft.com/v1.0/things/{i}\n```\n\n\
### Response\n\n<!-- {{ \"blockType\": \"response\", \"truncated\": true, \"@odata.type\": \"microsoft.graph.thing{r}\" }} -->\n\
```http\nHTTP/1.1 200 OK\nContent-type: application/json\n\n{{\n  \"id\": \"{i}\",\n  \"displayName\": \"Thing {i}\",\n  \"size\": {i}\n}}\n```\n"
    );
    page
}

fn resource_page(r: usize, resources: usize) -> String {
    let base = if r > 0 {
        format!(
            ", \"baseType\": \"microsoft.graph.thing{}\"",
            (r - 1) % resources
        )
    } else {
        String::new()
    };
    format!(
        "---\ntitle: \"thing{r} resource type\"\ndescription: \"A thing.\"\nauthor: \"docs\"\nms.prod: \"things\"\ndoc_type: resourcePageType\n---\n\n\
# thing{r} resource type\n\nA thing with an identifier and a size.\n\n\
## Properties\n\n| Property | Type | Description |\n|:---|:---|:---|\n| id | String | The identifier. |\n| displayName | String | The name. |\n| size | Int64 | The size in bytes. |\n\n\
## JSON representation\n\n<!-- {{ \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.thing{r}\"{base} }} -->\n\
```json\n{{\n  \"id\": \"String (identifier)\",\n  \"displayName\": \"String\",\n  \"size\": 1024\n}}\n```\n"
    )
}
