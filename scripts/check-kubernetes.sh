#!/usr/bin/env bash
# Validates deploy/kubernetes: every YAML file parses (no duplicate keys), every kustomization
# lists files that exist and leaves none out (*.example.yaml must stay out), and every
# manifest, as written and as kustomize renders it (with and without the node-owners
# component), validates in strict mode (unknown fields are errors) against the Kubernetes
# versions in $K8S_VERSIONS (default 1.30.0, the oldest the manifests need, and 1.37.0),
# with the JSON schemas kubernetes-validate ships in its package: no network but PyPI, once.
# Exits non-zero on any invalid file or resource.
#   scripts/check-kubernetes.sh           (kubernetes-validate goes into .build-venv-k8s)
# kustomize: `kubectl kustomize` when kubectl is installed, and the script's own rendering of
# the subset these files use (namespace, images, resources, components, JSON 6902 patches)
# always, which must agree with kubectl's where both ran.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.build-venv-k8s
export K8S_VERSIONS=${K8S_VERSIONS:-1.30.0 1.37.0}

if [ ! -x "$venv/bin/kubernetes-validate" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'kubernetes-validate>=1.37'
fi

exec "$venv/bin/python" - deploy/kubernetes <<'PY'
import copy, os, shutil, subprocess, sys, tempfile
import yaml

root = sys.argv[1]
versions = os.environ["K8S_VERSIONS"].split()
validate_cli = os.path.join(os.path.dirname(sys.executable), "kubernetes-validate")
problems = []

def problem(text):
    problems.append(text)
    print("FAIL " + text)

def image_name(reference):
    name = reference.split("@")[0]
    return name.rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name

# --- 1. YAML: parse everything, refusing duplicate keys (PyYAML keeps the last silently) ---
class StrictLoader(yaml.SafeLoader):
    pass

def mapping_without_duplicates(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                "found duplicate key %r (first at line %d)" % (key, seen[key].line + 1), key_node.start_mark)
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node, deep)

StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping_without_duplicates)

files = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names if f.endswith((".yaml", ".yml")))
documents = {}
for path in files:
    try:
        with open(path, encoding="utf-8") as stream:
            documents[path] = [doc for doc in yaml.load_all(stream, Loader=StrictLoader) if doc is not None]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = "%s:%d:%d" % (path, mark.line + 1, mark.column + 1) if mark else path
        problem("%s: not valid YAML: %s" % (where, getattr(error, "problem", None) or error))
    except UnicodeDecodeError as error:
        problem("%s: not UTF-8: %s" % (path, error))
print("YAML: %d files parsed" % len(documents))
if problems:
    sys.exit(1)

# --- 2. Sort files: kustomizations, their patches, and manifests -------------------------
KUSTOMIZE_KINDS = {"Kustomization", "Component"}
KUSTOMIZATION_KEYS = {"apiVersion", "kind", "namespace", "resources", "components", "images", "patches"}
kustomizations = {}  # directory -> kustomization
for path, docs in documents.items():
    if os.path.basename(path) in ("kustomization.yaml", "kustomization.yml"):
        k = docs[0] if len(docs) == 1 and isinstance(docs[0], dict) else None
        if k is None or k.get("kind", "Kustomization") not in KUSTOMIZE_KINDS:
            problem("%s: expected one Kustomization or Component" % path)
            continue
        unknown = set(k) - KUSTOMIZATION_KEYS
        if unknown:
            problem("%s: %s not understood by this script's kustomize subset: extend it" % (path, ", ".join(sorted(unknown))))
        kustomizations[os.path.dirname(path)] = k

patch_files = set()
for directory, k in kustomizations.items():
    for patch in k.get("patches", []):
        if "path" in patch:
            patch_files.add(os.path.normpath(os.path.join(directory, patch["path"])))

manifests = []
for path, docs in documents.items():
    if os.path.dirname(path) in kustomizations and os.path.basename(path).startswith("kustomization."):
        continue
    if os.path.normpath(path) in patch_files:
        if not (len(docs) == 1 and isinstance(docs[0], list)):
            problem("%s: only JSON 6902 patches (a list of operations) are supported" % path)
        continue
    manifests.append(path)
    for i, doc in enumerate(docs):
        name = doc.get("metadata", {}).get("name") if isinstance(doc, dict) else None
        if not (isinstance(doc, dict) and doc.get("apiVersion") and doc.get("kind") and name):
            problem("%s: document %d has no apiVersion, kind and metadata.name" % (path, i + 1))

# --- 3. Kustomizations: what they list exists, nothing is left out ----------------------
listed = set()
for directory, k in kustomizations.items():
    for entry in k.get("resources", []) + k.get("components", []):
        target = os.path.normpath(os.path.join(directory, entry))
        if not os.path.exists(target):
            problem("%s/kustomization.yaml: %s does not exist" % (directory, entry))
        listed.add(target)
for path in manifests:
    example = ".example." in os.path.basename(path)
    if example and os.path.normpath(path) in listed:
        problem("%s: an example must not be in a kustomization (`apply -k` would apply its placeholder)" % path)
    if not example and os.path.normpath(path) not in listed:
        problem("%s: in no kustomization's resources: list it, or name it *.example.yaml" % path)

if problems:
    sys.exit(1)

# Every image the manifests name is a placeholder the top kustomization's images: sets.
image_names = {image["name"] for image in kustomizations.get(os.path.normpath(root), {}).get("images", [])}
for path in manifests:
    for doc in documents[path]:
        pod = doc.get("spec", {}).get("template", {}).get("spec", {}) if isinstance(doc, dict) else {}
        for container in pod.get("containers", []) + pod.get("initContainers", []):
            if image_name(container.get("image", "")) not in image_names:
                problem("%s: image %s is not one that kustomization.yaml's images: sets" % (path, container.get("image")))

# --- 4. Render: the kustomize subset these files use --------------------------------------
def pointer(path):
    return [part.replace("~1", "/").replace("~0", "~") for part in path.lstrip("/").split("/")]

def json_patch(doc, operations, source):
    for op in operations:
        *parents, last = pointer(op["path"])
        node = doc
        try:
            for part in parents:
                node = node[int(part)] if isinstance(node, list) else node[part]
            if isinstance(node, list):
                index = len(node) if last == "-" else int(last)
                if op["op"] == "add":
                    node.insert(index, copy.deepcopy(op["value"]))
                elif op["op"] == "replace":
                    node[index] = copy.deepcopy(op["value"])
                elif op["op"] == "remove":
                    del node[index]
                else:
                    raise KeyError(op["op"])
            else:
                if op["op"] in ("replace", "remove") and last not in node:
                    raise KeyError(last)
                if op["op"] in ("add", "replace"):
                    node[last] = copy.deepcopy(op["value"])
                elif op["op"] == "remove":
                    del node[last]
                else:
                    raise KeyError(op["op"])
        except (KeyError, IndexError, ValueError, TypeError) as error:
            problem("%s: %s %s: no such path (%s)" % (source, op.get("op"), op.get("path"), error))

def matches(doc, target):
    group, _, version = doc["apiVersion"].rpartition("/")
    wanted = {"group": group, "version": version, "kind": doc["kind"], "name": doc["metadata"]["name"]}
    return all(target[key] == wanted[key] for key in target if key in wanted)

CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
                  "CustomResourceDefinition", "PriorityClass", "IngressClass", "RuntimeClass"}

def render(directory):
    k = kustomizations[directory]
    out = []
    for entry in k.get("resources", []):
        target = os.path.normpath(os.path.join(directory, entry))
        out += render(target) if os.path.isdir(target) else copy.deepcopy(documents[target])
    for component in k.get("components", []):
        c = os.path.normpath(os.path.join(directory, component))
        out = apply_transformers(out, kustomizations[c], c)
    return apply_transformers(out, k, directory)

def apply_transformers(docs, k, directory):
    for patch in k.get("patches", []):
        path = os.path.normpath(os.path.join(directory, patch["path"]))
        hits = [doc for doc in docs if matches(doc, patch.get("target", {}))]
        if not hits:
            problem("%s: patch target %s matches nothing" % (path, patch.get("target")))
        for doc in hits:
            json_patch(doc, documents[path][0], path)
    if "namespace" in k:
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = k["namespace"]
    images = {image["name"]: image for image in k.get("images", [])}
    for doc in docs:
        pod = doc.get("spec", {}).get("template", {}).get("spec", {})
        for container in pod.get("containers", []) + pod.get("initContainers", []):
            name = image_name(container["image"])
            if name in images:
                image = images[name]
                container["image"] = image.get("newName", name) + (
                    "@" + image["digest"] if "digest" in image else ":" + str(image["newTag"]) if "newTag" in image else "")
    return docs

top = os.path.normpath(root)
components = [d for d, k in kustomizations.items() if k.get("kind") == "Component"]
variants = {"kustomize-build.yaml": (top, [])}
for c in components:
    variants["kustomize-build+%s.yaml" % os.path.basename(c)] = (top, [c])

work = tempfile.mkdtemp(prefix="check-kubernetes.")
kubectl = shutil.which("kubectl")
rendered = []
for name, (base, extra) in variants.items():
    docs = render(base)
    for c in extra:  # as an overlay would: resources [base], components [c]
        docs = apply_transformers(docs, kustomizations[c], c)
    text = yaml.safe_dump_all(docs, sort_keys=False)
    path = os.path.join(work, name)
    with open(path, "w") as out:
        out.write(text)
    rendered.append(path)
    if kubectl:
        # kubectl kustomize takes a directory; an overlay with the component, for the variants.
        directory = base
        if extra:
            directory = os.path.join(work, name + ".d")
            os.mkdir(directory)
            with open(os.path.join(directory, "kustomization.yaml"), "w") as out:
                yaml.safe_dump({"resources": [os.path.relpath(base, directory)],
                                "components": [os.path.relpath(c, directory) for c in extra]}, out)
        result = subprocess.run([kubectl, "kustomize", directory], capture_output=True, text=True)
        if result.returncode != 0:
            problem("kubectl kustomize %s: %s" % (directory, result.stderr.strip()))
            continue
        theirs = list(yaml.safe_load_all(result.stdout))
        key = lambda d: (d["kind"], d["metadata"].get("namespace", ""), d["metadata"]["name"])
        if sorted(theirs, key=key) != sorted(docs, key=key):
            problem("%s: kubectl kustomize renders it differently from this script: compare %s with kubectl's" % (name, path))
print("kustomize: %d kustomizations, %d renderings (%s)" % (len(kustomizations), len(rendered),
      "compared with kubectl kustomize" if kubectl else "kubectl not installed: the script's own only"))

# --- 5. kubernetes-validate, strict, every manifest as written and as rendered -----------
command = [validate_cli, "--strict", "--quiet"]
for version in versions:
    command += ["-k", version]
result = subprocess.run(command + manifests + rendered, capture_output=True, text=True)
output = (result.stdout + result.stderr).strip()
if output:
    print(output.replace(work + os.sep, ""))
# A WARN is a kind or apiVersion it has no schema for (a typo, or a CRD): not validated, so a failure.
if result.returncode != 0 or any(line.startswith(("WARN", "ERROR", "FATAL")) for line in output.splitlines()):
    problem("kubernetes-validate: invalid manifests (above)")
else:
    resources = sum(len(documents[m]) for m in manifests) + sum(len(list(yaml.safe_load_all(open(r)))) for r in rendered)
    print("kubernetes-validate %s --strict: %d files, %d resources valid against Kubernetes %s" % (
        subprocess.run([validate_cli, "--version"], capture_output=True, text=True).stdout.strip(),
        len(manifests) + len(rendered), resources, ", ".join(versions)))

shutil.rmtree(work) if not problems else print("renderings kept in " + work)
if problems:
    print("check-kubernetes: %d problem(s)" % len(problems))
    sys.exit(1)
print("check-kubernetes: ok")
PY
