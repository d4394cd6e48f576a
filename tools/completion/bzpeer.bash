# bash completion for bzpeer. Install: /usr/share/bash-completion/completions/bzpeer
_bzpeer() {
  local cur prev verb sub i
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  local verbs="harvest search related authors author profile collaborators stats status doctor quarantine export rebuild eval oai serve backup"
  verb=""
  sub=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      -c|--config|--source|--works|--from|--until|--limit|--offset|--sort|--year|--category|--type|--topic|--facet-limit|--time-limit-ms|--format|--listen|--threads|--web-root|--pages-per-step) ((i++)) ;;
      -*) ;;
      *)
        if [ -z "$verb" ]; then
          verb="${COMP_WORDS[i]}"
        elif [ -z "$sub" ]; then
          sub="${COMP_WORDS[i]}"
        fi
        ;;
    esac
  done
  case "$prev" in
    -c|--config) COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur")); return ;;
    --sort) COMPREPLY=($(compgen -W "relevance newest oldest" -- "$cur")); return ;;
    --format)
      case "$verb" in
        eval) COMPREPLY=($(compgen -W "dblp-acm bib-dedupe andez inspire s2and inspec caragea" -- "$cur")) ;;
        *) COMPREPLY=() ;;
      esac
      return ;;
    --web-root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
  esac
  if [ -z "$verb" ]; then
    COMPREPLY=($(compgen -W "--config --verbose --quiet --help --version $verbs" -- "$cur"))
    return
  fi
  case "$verb" in
    harvest) COMPREPLY=($(compgen -W "--source --from --until --no-index --help" -- "$cur")) ;;
    search) COMPREPLY=($(compgen -W "--json --limit --offset --sort --year --category --type --topic --facets --facet-limit --time-limit-ms --help" -- "$cur")) ;;
    related|authors) COMPREPLY=($(compgen -W "--json --limit --help" -- "$cur")) ;;
    profile|collaborators) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
    stats|status) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
    author)
      case "$sub" in
        merge|list-overrides) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
        split) COMPREPLY=($(compgen -W "--works --json --help" -- "$cur")) ;;
        remove-override|recluster) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "merge split list-overrides remove-override recluster --help" -- "$cur")) ;;
      esac
      ;;
    quarantine)
      case "$sub" in
        list) COMPREPLY=($(compgen -W "--source --json --help" -- "$cur")) ;;
        retry) COMPREPLY=($(compgen -W "--source --help" -- "$cur")) ;;
        *) COMPREPLY=($(compgen -W "list retry --help" -- "$cur")) ;;
      esac
      ;;
    export) [ -z "$sub" ] && COMPREPLY=($(compgen -W "works authors authorships --help" -- "$cur")) ;;
    eval)
      if [ -z "$sub" ]; then
        COMPREPLY=($(compgen -W "works authors topics --help" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "--format --help" -- "$cur") $(compgen -d -- "$cur"))
      fi
      ;;
    oai)
      if [ -z "$sub" ]; then
        COMPREPLY=($(compgen -W "identify formats sets get --help" -- "$cur"))
      else
        COMPREPLY=($(compgen -W "--source --format --json --help" -- "$cur"))
      fi
      ;;
    rebuild) COMPREPLY=($(compgen -W "--rollback --help" -- "$cur")) ;;
    serve) COMPREPLY=($(compgen -W "--listen --threads --web-root --help" -- "$cur")) ;;
    backup) COMPREPLY=($(compgen -W "--pages-per-step --help" -- "$cur") $(compgen -d -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
  esac
}
complete -F _bzpeer bzpeer
