#!/usr/bin/env python3
"""Builds the VS Code extension's .vsix (a zip VS Code installs with "Install from VSIX…" or
`code --install-extension`), with the standard library only: no npm, no vsce.

Usage: editors/vscode/build-vsix.py [--output FILE]   (default: .build/rlmd-vscode-<version>.vsix)

The archive holds `extension.vsixmanifest` (identity, engine, assets, as vsce writes it),
`[Content_Types].xml`, and under `extension/` the package.json, the README and the extension's
JavaScript files — never its tests (test/) or this script. Entries carry a fixed date, so the same
sources give the same bytes.
"""
import argparse, json, os, sys, zipfile
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CONTENT_TYPES = {".json": "application/json", ".js": "application/javascript", ".md": "text/markdown", ".vsixmanifest": "text/xml"}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def shipped_files():
    """What the extension needs at run time: its manifest, README and the top-level .js modules."""
    scripts = sorted(name for name in os.listdir(HERE) if name.endswith(".js") and not name.startswith("build-vsix"))
    return ["package.json", "README.md"] + scripts


def manifest(package):
    tags = ",".join(package.get("keywords", []) + ["chat-participant"] * bool(package["contributes"].get("chatParticipants")))
    properties = {
        "Microsoft.VisualStudio.Code.Engine": package["engines"]["vscode"],
        "Microsoft.VisualStudio.Code.ExtensionDependencies": "",
        "Microsoft.VisualStudio.Code.ExtensionPack": "",
        "Microsoft.VisualStudio.Code.ExtensionKind": ",".join(package.get("extensionKind", ["workspace"])),
        "Microsoft.VisualStudio.Code.LocalizedLanguages": "",
        "Microsoft.VisualStudio.Services.GitHubFlavoredMarkdown": "true",
    }
    lines = "\n".join(f"      <Property Id={quoteattr(key)} Value={quoteattr(value)} />" for key, value in properties.items())
    return f"""<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id={quoteattr(package["name"])} Version={quoteattr(package["version"])} Publisher={quoteattr(package["publisher"])} />
    <DisplayName>{escape(package["displayName"])}</DisplayName>
    <Description xml:space="preserve">{escape(package["description"])}</Description>
    <Tags>{escape(tags)}</Tags>
    <Categories>{escape(",".join(package.get("categories", [])))}</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
{lines}
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
    <Asset Type="Microsoft.VisualStudio.Services.Content.Details" Path="extension/README.md" Addressable="true" />
  </Assets>
</PackageManifest>
"""


def content_types(names):
    used = sorted({os.path.splitext(name)[1] for name in names} | {".vsixmanifest"})
    unknown = [ext for ext in used if ext not in CONTENT_TYPES]
    if unknown:
        sys.exit(f"build-vsix: no content type for {', '.join(unknown)}: add it to CONTENT_TYPES")
    defaults = "\n".join(f'  <Default Extension="{ext}" ContentType="{CONTENT_TYPES[ext]}" />' for ext in used)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\n{defaults}\n</Types>\n'


def add(archive, name, data):
    entry = zipfile.ZipInfo(name, FIXED_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    archive.writestr(entry, data)


def build(output):
    with open(os.path.join(HERE, "package.json"), encoding="utf-8") as f:
        package = json.load(f)
    files = shipped_files()
    missing = [name for name in files if not os.path.isfile(os.path.join(HERE, name))]
    if missing:
        sys.exit(f"build-vsix: missing {', '.join(missing)}")
    if package["main"].removeprefix("./") not in files:
        sys.exit(f"build-vsix: package.json's main ({package['main']}) is not shipped")
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with zipfile.ZipFile(output, "w") as archive:
        add(archive, "extension.vsixmanifest", manifest(package))
        add(archive, "[Content_Types].xml", content_types(files))
        for name in files:
            with open(os.path.join(HERE, name), "rb") as f:
                add(archive, f"extension/{name}", f.read())
    return package, files


def main():
    parser = argparse.ArgumentParser(description="Build the rlmd VS Code extension (.vsix) without npm.")
    parser.add_argument("--output", help="the .vsix to write (default: .build/rlmd-vscode-<version>.vsix in the repository)")
    args = parser.parse_args()
    with open(os.path.join(HERE, "package.json"), encoding="utf-8") as f:
        version = json.load(f)["version"]
    output = args.output or os.path.join(REPO, ".build", f"rlmd-vscode-{version}.vsix")
    package, files = build(output)
    print(f"{output}: {package['publisher']}.{package['name']} {package['version']}, {len(files)} files")


if __name__ == "__main__":
    main()
