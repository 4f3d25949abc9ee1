@_exported public import AdvocateCore
@_exported public import AdvocateFormat
@_exported public import AdvocateStore
@_exported public import AdvocateGlossary
@_exported public import AdvocateAssembly
