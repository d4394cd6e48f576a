# bash completion for bzpeer. Install: /usr/share/bash-completion/completions/bzpeer
_bzpeer() {
  local cur prev verb i
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  local verbs="harvest search related authors profile collaborators stats status doctor quarantine export rebuild eval oai serve"
  verb=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      -c|--config) ((i++)) ;;
      -*) ;;
      *) verb="${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
    -c|--config) COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur")); return ;;
    --sort) COMPREPLY=($(compgen -W "relevance newest oldest" -- "$cur")); return ;;
    --format) COMPREPLY=($(compgen -W "dblp-acm bib-dedupe andez inspire s2and inspec caragea" -- "$cur")); return ;;
  esac
  if [ -z "$verb" ]; then
    COMPREPLY=($(compgen -W "--config --verbose --quiet --help --version $verbs" -- "$cur"))
    return
  fi
  case "$verb" in
    harvest) COMPREPLY=($(compgen -W "--source --from --until --no-index --help" -- "$cur")) ;;
    search) COMPREPLY=($(compgen -W "--json --limit --offset --sort --year --category --type --topic --facets --help" -- "$cur")) ;;
    profile|collaborators) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
    stats|status) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
    quarantine) COMPREPLY=($(compgen -W "list retry --json --help" -- "$cur")) ;;
    export) COMPREPLY=($(compgen -W "works authors authorships" -- "$cur")) ;;
    eval) COMPREPLY=($(compgen -W "works authors topics --format" -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
  esac
}
complete -F _bzpeer bzpeer
